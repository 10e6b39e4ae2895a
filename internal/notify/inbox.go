package notify

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/duban-org/duban/internal/store"
)

// Inbox is the in-app channel: it puts a notice in a unit's inbox
// ("unit:12") or a role's ("role:leader") in the jurisdiction.
type Inbox struct {
	Store *store.Store
}

// Name is "inbox".
func (Inbox) Name() string { return ChannelInbox }

// InboxUnit and InboxRole build inbox recipients.
func InboxUnit(id int64) string    { return "unit:" + strconv.FormatInt(id, 10) }
func InboxRole(role string) string { return "role:" + role }

// ParseInboxRecipient reads "unit:12" or "role:leader".
func ParseInboxRecipient(s string) (unitID int64, role string, err error) {
	kind, val, ok := strings.Cut(s, ":")
	switch {
	case ok && kind == "unit":
		id, err := strconv.ParseInt(val, 10, 64)
		if err != nil || id <= 0 {
			return 0, "", fmt.Errorf("notify: inbox recipient %q: bad unit id", s)
		}
		return id, "", nil
	case ok && kind == "role" && val != "":
		return 0, val, nil
	}
	return 0, "", fmt.Errorf("notify: inbox recipient %q: want unit:ID or role:NAME", s)
}

// Send places the message in the inbox. A second Send of the same notice to
// the same inbox adds nothing (the table's unique key).
func (c Inbox) Send(ctx context.Context, m Message) error {
	unit, role, err := ParseInboxRecipient(m.Recipient)
	if err != nil {
		return err
	}
	_, err = c.Store.PutInbox(ctx, store.InboxItem{Jurisdiction: m.Jurisdiction, UnitID: unit, Role: role, NoticeID: m.NoticeID, Subject: m.Subject, Body: m.Body})
	return err
}
