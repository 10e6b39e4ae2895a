package cli

import (
	"os"

	"golang.org/x/sys/unix"
)

// echoOff turns off the terminal's echo on f, when f is a terminal, and
// returns the function that turns it back on; ok is false when f is not a
// terminal (a pipe or a file), whose input is then read as it comes.
func echoOff(f *os.File) (restore func(), ok bool) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return func() {}, false
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &quiet); err != nil {
		return func() {}, false
	}
	return func() { _ = unix.IoctlSetTermios(fd, unix.TCSETS, old) }, true
}
