// Package audit defines the tamper-evident log of every change: each event
// records who did what, when, from where, with the state before and after,
// and carries the SHA-256 of its predecessor, so altering or removing any
// past event breaks every link after it. The store appends events in the
// same transaction as the change they describe.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Actor is who caused a change: a user, or the system itself (UserID 0).
type Actor struct {
	UserID int64  `json:"user_id,omitempty"`
	Name   string `json:"name"`
	Remote string `json:"remote,omitempty"` // client address, when over HTTP
}

// System is the actor for changes made by duban itself (seed import,
// scheduler, command line without a user).
func System(name string) Actor { return Actor{Name: name} }

// Event is one entry of the log.
type Event struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	Actor    Actor           `json:"actor"`
	Action   string          `json:"action"` // verb.noun, e.g. "plan.create"
	Entity   string          `json:"entity"` // table-like name, e.g. "plan"
	EntityID string          `json:"entity_id"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// Genesis is the PrevHash of the first event.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// TimeFormat is how At enters the hash: microseconds in UTC, the precision
// both SQLite and PostgreSQL keep, so a stored event hashes the same as it
// did when it was written.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// Normalize truncates At to what the databases keep.
func Normalize(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// ComputeHash returns the hash of e chained to e.PrevHash. Every field is
// written length-prefixed so no two different events encode the same.
func ComputeHash(e Event) string {
	h := sha256.New()
	field := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
		h.Write([]byte{'\n'})
	}
	field(e.PrevHash)
	field(strconv.FormatInt(e.ID, 10))
	field(Normalize(e.At).Format(TimeFormat))
	field(strconv.FormatInt(e.Actor.UserID, 10))
	field(e.Actor.Name)
	field(e.Actor.Remote)
	field(e.Action)
	field(e.Entity)
	field(e.EntityID)
	field(string(e.Before))
	field(string(e.After))
	return hex.EncodeToString(h.Sum(nil))
}

// Marshal turns a value into the Before/After form, or nil for nil.
func Marshal(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Only values that cannot be encoded at all get here; record that
		// rather than lose the event.
		b, _ = json.Marshal(map[string]string{"unencodable": fmt.Sprintf("%T", v)})
	}
	return b
}

// Break describes the first event whose link does not hold.
type Break struct {
	EventID int64
	Reason  string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit chain broken at event %d: %s", b.EventID, b.Reason)
}

// Verifier checks a chain event by event, in ID order, without holding it
// all in memory.
type Verifier struct {
	prev   string
	lastID int64
	count  int64
}

// NewVerifier starts at the genesis hash.
func NewVerifier() *Verifier { return &Verifier{prev: Genesis} }

// Next checks one event; it returns a *Break at the first broken link.
func (v *Verifier) Next(e Event) error {
	switch {
	case v.count > 0 && e.ID != v.lastID+1:
		return &Break{e.ID, fmt.Sprintf("event %d is missing (ids jump from %d to %d)", v.lastID+1, v.lastID, e.ID)}
	case !strings.EqualFold(e.PrevHash, v.prev):
		return &Break{e.ID, "its prev_hash does not match the previous event's hash"}
	case ComputeHash(e) != e.Hash:
		return &Break{e.ID, "its content does not match its hash (altered)"}
	}
	v.prev, v.lastID = e.Hash, e.ID
	v.count++
	return nil
}

// Count is how many events have been verified.
func (v *Verifier) Count() int64 { return v.count }

// Head is the hash of the last verified event.
func (v *Verifier) Head() string { return v.prev }
