package cli

import (
	"fmt"
	"runtime/debug"
)

// Version is set at build time with -ldflags "-X github.com/duban-org/duban/internal/cli.Version=v1.2.3".
var Version = "dev"

func runVersion(e env, args []string) int {
	fs := newFlags(e, "version", "", "Print duban's version and build details.")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = " (" + s.Value[:12] + ")"
			}
		}
		fmt.Fprintf(e.stdout, "duban %s%s %s\n", Version, rev, bi.GoVersion)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "duban %s\n", Version)
	return exitOK
}
