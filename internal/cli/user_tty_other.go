//go:build !linux

package cli

import "os"

// echoOff cannot hide typing on this system: passwords are read from
// standard input as they come (pipe them in, e.g. from a password manager).
func echoOff(f *os.File) (restore func(), ok bool) { return func() {}, false }
