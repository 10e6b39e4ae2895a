package cli

import (
	"fmt"
	"os"
)

var osGetenv = os.Getenv

// readInput reads a file given on the command line, with the file name in
// the error.
func readInput(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return data, nil
}
