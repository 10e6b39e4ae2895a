//go:build !unix

package delivery

// cpuTime is unavailable here; benchmarks then report wall time only.
func cpuTime() (int64, bool) { return 0, false }
