// Command duban runs a local government's annual work plan from the document
// to delivery. All the work is in internal/; this file only hands over.
package main

import (
	"os"

	"github.com/duban-org/duban/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
