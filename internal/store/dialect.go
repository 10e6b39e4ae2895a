package store

import (
	"strconv"
	"strings"
)

// dialect is everything that differs between the engines at query time.
// Queries are written with ? placeholders and rebound for PostgreSQL.
type dialect struct {
	name     string
	numbered bool // $1, $2 … instead of ?
}

var (
	sqlite   = dialect{name: "sqlite"}
	postgres = dialect{name: "postgres", numbered: true}
)

// rebind turns ? placeholders into the engine's form. Queries never contain
// a literal ? in a string, so a plain scan is enough.
func (d dialect) rebind(q string) string {
	if !d.numbered {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
