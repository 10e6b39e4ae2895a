package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/fault"
)

// Notice kinds.
const (
	KindReminder   = "reminder"   // 催办: a nudge before, on or after a due day
	KindNotice     = "notice"     // 督办单: a numbered notice that needs a dated response
	KindEscalation = "escalation" // a notice ignored past its response date, sent to the responsible leader
)

// Notice is a stored reminder, supervision notice or escalation.
type Notice struct {
	ID             int64         `json:"id"`
	PlanID         int64         `json:"plan_id"`
	Jurisdiction   string        `json:"jurisdiction"`
	Kind           string        `json:"kind"`
	Colour         string        `json:"colour,omitempty"` // blue | yellow | red
	Number         string        `json:"number,omitempty"`
	Seq            int           `json:"seq,omitempty"`
	TaskID         int64         `json:"task_id,omitempty"`
	UnitID         int64         `json:"unit_id,omitempty"`
	Leader         string        `json:"leader,omitempty"`
	Subject        string        `json:"subject"`
	Body           string        `json:"body"`
	Reason         string        `json:"reason,omitempty"` // the rule that raised it
	DedupeKey      string        `json:"dedupe_key"`
	IssuedOn       delivery.Date `json:"issued_on"`
	RespondBy      delivery.Date `json:"respond_by,omitempty"`
	AcknowledgedAt *time.Time    `json:"acknowledged_at,omitempty"`
	AcknowledgedBy int64         `json:"acknowledged_by,omitempty"`
	RespondedAt    *time.Time    `json:"responded_at,omitempty"`
	EscalatedOn    delivery.Date `json:"escalated_on,omitempty"`
	ParentID       int64         `json:"parent_id,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
}

// Delivery is one outbound copy of a notice: a channel and a recipient
// (an inbox address such as "unit:12" or "leaders", an e-mail address, a
// webhook URL).
type Delivery struct {
	ID        int64      `json:"id"`
	NoticeID  int64      `json:"notice_id"`
	Channel   string     `json:"channel"`
	Recipient string     `json:"recipient"`
	Status    string     `json:"status"` // pending | sent | failed
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error,omitempty"`
	NextTry   time.Time  `json:"next_try"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

// Delivery statuses.
const (
	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
)

// Route is where a new notice is to be delivered.
type Route struct {
	Channel   string
	Recipient string
}

const noticeColumns = `id, plan_id, jurisdiction, kind, colour, number, seq, task_id, unit_id, leader, subject, body, reason, dedupe_key,
	issued_on, respond_by, acknowledged_at, acknowledged_by, responded_at, escalated_on, parent_id, created_at`

func scanNotice(sc interface{ Scan(...any) error }) (Notice, error) {
	var n Notice
	var task, unit, parent sql.NullInt64
	var issued time.Time
	var respondBy, escalated, ack, resp sql.NullTime
	err := sc.Scan(&n.ID, &n.PlanID, &n.Jurisdiction, &n.Kind, &n.Colour, &n.Number, &n.Seq, &task, &unit, &n.Leader, &n.Subject, &n.Body, &n.Reason, &n.DedupeKey,
		&issued, &respondBy, &ack, &n.AcknowledgedBy, &resp, &escalated, &parent, &n.CreatedAt)
	if err != nil {
		return n, err
	}
	n.TaskID, n.UnitID, n.ParentID = task.Int64, unit.Int64, parent.Int64
	n.IssuedOn = delivery.DateOf(issued.UTC())
	if respondBy.Valid {
		n.RespondBy = delivery.DateOf(respondBy.Time.UTC())
	}
	if escalated.Valid {
		n.EscalatedOn = delivery.DateOf(escalated.Time.UTC())
	}
	if ack.Valid {
		t := ack.Time.UTC()
		n.AcknowledgedAt = &t
	}
	if resp.Valid {
		t := resp.Time.UTC()
		n.RespondedAt = &t
	}
	n.CreatedAt = n.CreatedAt.UTC()
	return n, nil
}

// IssueNotice stores a notice under its dedupe key together with its
// pending deliveries, in the caller's transaction. When a notice with the
// same key exists it changes nothing and returns issued = false: that is
// how a reminder is sent once however often, and however late, the
// scheduler judges its day. Supervision notices (KindNotice) are numbered
// per jurisdiction and year in the order they are issued.
func (tx *Tx) IssueNotice(ctx context.Context, n Notice, routes []Route) (Notice, bool, error) {
	var v fault.Validation
	switch n.Kind {
	case KindReminder, KindEscalation:
	case KindNotice:
		switch n.Colour {
		case "blue", "yellow", "red":
		default:
			v.Add("colour", "notice.colour", "a supervision notice is blue, yellow or red")
		}
		if n.RespondBy == 0 {
			v.Add("respond_by", "notice.respond_by", "a supervision notice names the day a response is due")
		}
	default:
		v.Add("kind", "notice.kind", "the kind is reminder, notice or escalation")
	}
	if strings.TrimSpace(n.DedupeKey) == "" {
		v.Add("dedupe_key", "required", "a notice needs a dedupe key")
	}
	if strings.TrimSpace(n.Subject) == "" {
		v.Add("subject", "required", "a notice needs a subject")
	}
	if n.IssuedOn == 0 {
		v.Add("issued_on", "required", "a notice has an issue day")
	}
	if err := v.Err(); err != nil {
		return n, false, err
	}
	var exists int
	err := tx.queryRow(ctx, `SELECT 1 FROM notices WHERE dedupe_key = ?`, n.DedupeKey).Scan(&exists)
	if err == nil {
		return n, false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return n, false, fmt.Errorf("store: notice %s: %w", n.DedupeKey, err)
	}
	n.CreatedAt = tx.now
	// ON CONFLICT DO NOTHING covers a concurrent writer that issued the same
	// key between the check above and this insert: no row comes back, and
	// this transaction issues nothing.
	rows, err := tx.query(ctx, `INSERT INTO notices (plan_id, jurisdiction, kind, colour, number, seq, task_id, unit_id, leader, subject, body, reason, dedupe_key, issued_on, respond_by, parent_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
		n.PlanID, n.Jurisdiction, n.Kind, n.Colour, n.Number, n.Seq, nullID(n.TaskID), nullID(n.UnitID), n.Leader, n.Subject, n.Body, n.Reason, n.DedupeKey,
		n.IssuedOn.Time(), nullDate(n.RespondBy), nullID(n.ParentID), n.CreatedAt)
	if err != nil {
		return n, false, fmt.Errorf("store: issue notice %s: %w", n.DedupeKey, err)
	}
	got := rows.Next()
	if got {
		err = rows.Scan(&n.ID)
	}
	rows.Close()
	if err != nil {
		return n, false, fmt.Errorf("store: issue notice %s: %w", n.DedupeKey, err)
	}
	if !got {
		return n, false, nil
	}
	if n.Kind == KindNotice {
		// The number is taken only once the notice is in, so a notice that
		// turned out to exist already uses none.
		year := n.IssuedOn.Year()
		if err := tx.queryRow(ctx, `INSERT INTO notice_numbers (jurisdiction, year, last) VALUES (?, ?, 1)
			ON CONFLICT (jurisdiction, year) DO UPDATE SET last = notice_numbers.last + 1 RETURNING last`, n.Jurisdiction, year).Scan(&n.Seq); err != nil {
			return n, false, fmt.Errorf("store: notice number: %w", err)
		}
		n.Number = fmt.Sprintf("督办〔%d〕%d号", year, n.Seq)
		if _, err := tx.exec(ctx, `UPDATE notices SET seq = ?, number = ? WHERE id = ?`, n.Seq, n.Number, n.ID); err != nil {
			return n, false, fmt.Errorf("store: notice number: %w", conflict(err))
		}
	}
	for _, r := range routes {
		if _, err := tx.exec(ctx, `INSERT INTO deliveries (notice_id, channel, recipient, status, next_try, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (notice_id, channel, recipient) DO NOTHING`, n.ID, r.Channel, r.Recipient, DeliveryPending, tx.now, tx.now); err != nil {
			return n, false, fmt.Errorf("store: delivery of notice %d: %w", n.ID, err)
		}
	}
	return n, true, tx.Record(ctx, "notice.issue", "notice", n.ID, nil, n)
}

// NoticeFilter narrows Notices. Zero fields do not filter.
type NoticeFilter struct {
	Jurisdiction string
	PlanID       int64
	UnitID       int64
	TaskID       int64
	Kind         string
	Open         bool // supervision notices not yet responded to
}

// Notices lists notices, oldest first.
func (r reader) Notices(ctx context.Context, f NoticeFilter) ([]Notice, error) {
	where, args := []string{"1 = 1"}, []any{}
	add := func(cond string, arg any) { where, args = append(where, cond), append(args, arg) }
	if f.Jurisdiction != "" {
		add("jurisdiction = ?", f.Jurisdiction)
	}
	if f.PlanID != 0 {
		add("plan_id = ?", f.PlanID)
	}
	if f.UnitID != 0 {
		add("unit_id = ?", f.UnitID)
	}
	if f.TaskID != 0 {
		add("task_id = ?", f.TaskID)
	}
	if f.Kind != "" {
		add("kind = ?", f.Kind)
	} else {
		add("kind <> ?", KindSuperseded)
	}
	if f.Open {
		where = append(where, "responded_at IS NULL")
	}
	rows, err := r.query(ctx, `SELECT `+noticeColumns+` FROM notices WHERE `+strings.Join(where, " AND ")+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: notices %+v: %w", f, err)
	}
	defer rows.Close()
	out := []Notice{}
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, fmt.Errorf("store: notices %+v: %w", f, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Notice returns one notice.
func (r reader) Notice(ctx context.Context, id int64) (Notice, error) {
	n, err := scanNotice(r.queryRow(ctx, `SELECT `+noticeColumns+` FROM notices WHERE id = ?`, id))
	if err != nil {
		return n, notFound(err, "notice", id)
	}
	return n, nil
}

// AcknowledgeNotice records that a unit has seen a supervision notice; a
// second acknowledgement changes nothing.
func (tx *Tx) AcknowledgeNotice(ctx context.Context, id int64) (Notice, error) {
	n, err := tx.Notice(ctx, id)
	if err != nil {
		return n, err
	}
	if n.AcknowledgedAt != nil {
		return n, nil
	}
	if _, err := tx.exec(ctx, `UPDATE notices SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?`, tx.now, tx.actor.UserID, id); err != nil {
		return n, fmt.Errorf("store: acknowledge notice %d: %w", id, err)
	}
	after, err := tx.Notice(ctx, id)
	if err != nil {
		return after, err
	}
	return after, tx.Record(ctx, "notice.acknowledge", "notice", id, nil, map[string]any{"acknowledged_at": after.AcknowledgedAt})
}

// NoticeResponse is a unit's written answer to a supervision notice.
type NoticeResponse struct {
	ID       int64     `json:"id"`
	NoticeID int64     `json:"notice_id"`
	UserID   int64     `json:"user_id,omitempty"`
	UserName string    `json:"user_name"`
	Body     string    `json:"body"`
	At       time.Time `json:"at"`
}

// RespondNotice stores a response; responding acknowledges too.
func (tx *Tx) RespondNotice(ctx context.Context, id int64, body string) (NoticeResponse, error) {
	resp := NoticeResponse{NoticeID: id, UserID: tx.actor.UserID, UserName: tx.actor.Name, Body: strings.TrimSpace(body), At: tx.now}
	if resp.Body == "" {
		return resp, fault.Validation{{Field: "body", Code: "required", Message: "a response says what was done"}}
	}
	if n := len([]rune(resp.Body)); n > delivery.MaxNarrative {
		return resp, fault.Validation{{Field: "body", Code: "notice.response_long", Message: fmt.Sprintf("the response has %d characters; at most %d", n, delivery.MaxNarrative)}}
	}
	if _, err := tx.AcknowledgeNotice(ctx, id); err != nil {
		return resp, err
	}
	var err error
	resp.ID, err = tx.insert(ctx, `INSERT INTO notice_responses (notice_id, user_id, user_name, body, at) VALUES (?, ?, ?, ?, ?)`,
		id, resp.UserID, resp.UserName, resp.Body, resp.At)
	if err != nil {
		return resp, fmt.Errorf("store: respond to notice %d: %w", id, err)
	}
	if _, err := tx.exec(ctx, `UPDATE notices SET responded_at = COALESCE(responded_at, ?) WHERE id = ?`, tx.now, id); err != nil {
		return resp, fmt.Errorf("store: respond to notice %d: %w", id, err)
	}
	return resp, tx.Record(ctx, "notice.respond", "notice", id, nil, resp)
}

// NoticeResponses lists a notice's responses, oldest first.
func (r reader) NoticeResponses(ctx context.Context, id int64) ([]NoticeResponse, error) {
	rows, err := r.query(ctx, `SELECT id, notice_id, user_id, user_name, body, at FROM notice_responses WHERE notice_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: responses to notice %d: %w", id, err)
	}
	defer rows.Close()
	out := []NoticeResponse{}
	for rows.Next() {
		var x NoticeResponse
		if err := rows.Scan(&x.ID, &x.NoticeID, &x.UserID, &x.UserName, &x.Body, &x.At); err != nil {
			return nil, err
		}
		x.At = x.At.UTC()
		out = append(out, x)
	}
	return out, rows.Err()
}

// MarkEscalated records the day a notice was escalated to its leader.
func (tx *Tx) MarkEscalated(ctx context.Context, id int64, on delivery.Date) error {
	if _, err := tx.exec(ctx, `UPDATE notices SET escalated_on = ? WHERE id = ? AND escalated_on IS NULL`, on.Time(), id); err != nil {
		return fmt.Errorf("store: escalate notice %d: %w", id, err)
	}
	return tx.Record(ctx, "notice.escalate", "notice", id, nil, map[string]any{"escalated_on": on})
}

// InboxItem is one message in a unit's or the leaders' in-app inbox.
type InboxItem struct {
	ID           int64      `json:"id"`
	Jurisdiction string     `json:"jurisdiction"`
	UnitID       int64      `json:"unit_id,omitempty"`
	Role         string     `json:"role,omitempty"`
	NoticeID     int64      `json:"notice_id"`
	Subject      string     `json:"subject"`
	Body         string     `json:"body"`
	CreatedAt    time.Time  `json:"created_at"`
	ReadAt       *time.Time `json:"read_at,omitempty"`
}

// PutInbox places a notice in an inbox (a unit's, or a role's when unitID
// is 0). Putting the same notice in the same inbox again changes nothing,
// so a retried delivery cannot show a message twice.
func (s *Store) PutInbox(ctx context.Context, item InboxItem) (bool, error) {
	res, err := s.exec(ctx, `INSERT INTO inbox (jurisdiction, unit_id, role, notice_id, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (notice_id, unit_id, role) DO NOTHING`, item.Jurisdiction, item.UnitID, item.Role, item.NoticeID, item.Subject, item.Body, s.now().UTC())
	if err != nil {
		return false, fmt.Errorf("store: inbox for notice %d: %w", item.NoticeID, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Inbox lists an inbox, newest first: a unit's (unitID != 0) or a role's.
func (r reader) Inbox(ctx context.Context, jurisdiction string, unitID int64, role string) ([]InboxItem, error) {
	rows, err := r.query(ctx, `SELECT id, jurisdiction, unit_id, role, notice_id, subject, body, created_at, read_at FROM inbox
		WHERE jurisdiction = ? AND unit_id = ? AND role = ? ORDER BY id DESC`, jurisdiction, unitID, role)
	if err != nil {
		return nil, fmt.Errorf("store: inbox of %s/%d/%s: %w", jurisdiction, unitID, role, err)
	}
	defer rows.Close()
	out := []InboxItem{}
	for rows.Next() {
		var it InboxItem
		var read sql.NullTime
		if err := rows.Scan(&it.ID, &it.Jurisdiction, &it.UnitID, &it.Role, &it.NoticeID, &it.Subject, &it.Body, &it.CreatedAt, &read); err != nil {
			return nil, err
		}
		it.CreatedAt = it.CreatedAt.UTC()
		if read.Valid {
			t := read.Time.UTC()
			it.ReadAt = &t
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// MarkInboxRead marks one inbox item read, if it belongs to the inbox
// named; anything else is not found.
func (tx *Tx) MarkInboxRead(ctx context.Context, id int64, jurisdiction string, unitID int64, role string) error {
	res, err := tx.exec(ctx, `UPDATE inbox SET read_at = COALESCE(read_at, ?) WHERE id = ? AND jurisdiction = ? AND unit_id = ? AND role = ?`,
		tx.now, id, jurisdiction, unitID, role)
	if err != nil {
		return fmt.Errorf("store: inbox item %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("inbox item %d: %w", id, fault.ErrNotFound)
	}
	return tx.Record(ctx, "inbox.read", "inbox", id, nil, nil)
}

// CountInbox counts inbox rows per notice dedupe key, for checks that
// every notice reached its inbox exactly once.
func (r reader) CountInbox(ctx context.Context, planID int64) (map[string]int, error) {
	rows, err := r.query(ctx, `SELECT n.dedupe_key, COUNT(*) FROM inbox i JOIN notices n ON n.id = i.notice_id WHERE n.plan_id = ? GROUP BY n.dedupe_key`, planID)
	if err != nil {
		return nil, fmt.Errorf("store: inbox counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// ClaimDeliveries takes up to limit pending deliveries that are due by now
// and leases them for lease: each is claimed with a conditional update, so
// two servers never send the same delivery at once, and a server that dies
// mid-send leaves it to be retried when the lease runs out.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Delivery, error) {
	rows, err := s.query(ctx, `SELECT id FROM deliveries WHERE status = ? AND next_try <= ? ORDER BY id LIMIT ?`, DeliveryPending, now.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: pending deliveries: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Delivery
	for _, id := range ids {
		res, err := s.exec(ctx, `UPDATE deliveries SET attempts = attempts + 1, next_try = ? WHERE id = ? AND status = ? AND next_try <= ?`,
			now.Add(lease).UTC(), id, DeliveryPending, now.UTC())
		if err != nil {
			return out, fmt.Errorf("store: claim delivery %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			continue // another server took it
		}
		d, err := s.delivery(ctx, id)
		if err != nil {
			return out, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (r reader) delivery(ctx context.Context, id int64) (Delivery, error) {
	var d Delivery
	var sent sql.NullTime
	err := r.queryRow(ctx, `SELECT id, notice_id, channel, recipient, status, attempts, last_error, next_try, sent_at FROM deliveries WHERE id = ?`, id).
		Scan(&d.ID, &d.NoticeID, &d.Channel, &d.Recipient, &d.Status, &d.Attempts, &d.LastError, &d.NextTry, &sent)
	if err != nil {
		return d, notFound(err, "delivery", id)
	}
	if sent.Valid {
		t := sent.Time.UTC()
		d.SentAt = &t
	}
	return d, nil
}

// FinishDelivery records a delivery's outcome: sent, or failed with a retry
// at retryAt (zero retryAt: give up, status failed).
func (s *Store) FinishDelivery(ctx context.Context, id int64, sendErr error, now, retryAt time.Time) error {
	var err error
	switch {
	case sendErr == nil:
		_, err = s.exec(ctx, `UPDATE deliveries SET status = ?, sent_at = ?, last_error = '' WHERE id = ?`, DeliverySent, now.UTC(), id)
	case retryAt.IsZero():
		_, err = s.exec(ctx, `UPDATE deliveries SET status = ?, last_error = ? WHERE id = ?`, DeliveryFailed, truncate(sendErr.Error(), 1000), id)
	default:
		_, err = s.exec(ctx, `UPDATE deliveries SET next_try = ?, last_error = ? WHERE id = ?`, retryAt.UTC(), truncate(sendErr.Error(), 1000), id)
	}
	if err != nil {
		return fmt.Errorf("store: finish delivery %d: %w", id, err)
	}
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// Deliveries lists a notice's deliveries (noticeID 0: all of a plan's).
func (r reader) Deliveries(ctx context.Context, planID, noticeID int64) ([]Delivery, error) {
	q := `SELECT d.id FROM deliveries d JOIN notices n ON n.id = d.notice_id WHERE n.plan_id = ?`
	args := []any{planID}
	if noticeID != 0 {
		q += ` AND d.notice_id = ?`
		args = append(args, noticeID)
	}
	rows, err := r.query(ctx, q+` ORDER BY d.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]Delivery, 0, len(ids))
	for _, id := range ids {
		d, err := r.delivery(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// KindSuperseded marks a key the reminder rules chose not to send (a
// catch-up after downtime sends only the latest reminder on a subject); it
// is kept so that the key is never sent later. It has no deliveries.
const KindSuperseded = "superseded"

// RecordSuperseded stores key as used without sending anything.
func (tx *Tx) RecordSuperseded(ctx context.Context, planID int64, jurisdiction, key string, on delivery.Date) error {
	res, err := tx.exec(ctx, `INSERT INTO notices (plan_id, jurisdiction, kind, subject, body, dedupe_key, issued_on, created_at)
		VALUES (?, ?, ?, ?, '', ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
		planID, jurisdiction, KindSuperseded, "superseded: "+key, key, on.Time(), tx.now)
	if err != nil {
		return fmt.Errorf("store: superseded key %s: %w", key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // the key was used already
	}
	return tx.Record(ctx, "notice.supersede", "notice", key, nil, map[string]any{"on": on})
}

// NoticeKeys lists every dedupe key used for a plan, superseded ones too.
func (r reader) NoticeKeys(ctx context.Context, planID int64) ([]string, error) {
	rows, err := r.query(ctx, `SELECT dedupe_key FROM notices WHERE plan_id = ?`, planID)
	if err != nil {
		return nil, fmt.Errorf("store: notice keys of plan %d: %w", planID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// NoticeByKey returns the notice issued under a dedupe key.
func (r reader) NoticeByKey(ctx context.Context, key string) (Notice, error) {
	n, err := scanNotice(r.queryRow(ctx, `SELECT `+noticeColumns+` FROM notices WHERE dedupe_key = ?`, key))
	if err != nil {
		return n, notFound(err, "notice", key)
	}
	return n, nil
}
