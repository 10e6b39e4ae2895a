package drill

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// dubanBin is the duban binary the tests run, built once for all of them.
var dubanBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "duban-drill-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if dubanBin, err = Build(context.Background(), dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
