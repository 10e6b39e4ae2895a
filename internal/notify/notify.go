// Package notify carries reminders (催办) and supervision notices (督办单)
// to people, through one Channel interface with three implementations: the
// in-app inbox (a table), e-mail over SMTP, and a webhook that posts JSON
// (generic, or the text-message format of WeCom and DingTalk group robots).
//
// Notices are not sent where they are decided. The scheduler stores a
// notice and one pending delivery per channel and recipient in a single
// transaction (the notice's dedupe key makes that happen once); a
// Dispatcher then sends pending deliveries and records the outcome. A crash
// between the two leaves a delivery pending, to be sent on the next pass,
// never a notice decided twice.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/store"
)

// Message is one notice on its way to one recipient.
type Message struct {
	NoticeID     int64         `json:"notice_id"`
	DedupeKey    string        `json:"dedupe_key"`
	Kind         string        `json:"kind"`
	Colour       string        `json:"colour,omitempty"`
	Number       string        `json:"number,omitempty"`
	PlanID       int64         `json:"plan_id"`
	Jurisdiction string        `json:"jurisdiction"`
	TaskID       int64         `json:"task_id,omitempty"`
	UnitID       int64         `json:"unit_id,omitempty"`
	Subject      string        `json:"subject"`
	Body         string        `json:"body"`
	IssuedOn     delivery.Date `json:"issued_on"`
	RespondBy    delivery.Date `json:"respond_by,omitempty"`
	// Recipient is the channel's address: "unit:12" or "role:leader" for
	// the inbox, an e-mail address, or a webhook URL (optionally prefixed
	// "wecom+" or "dingtalk+" to choose the robot format).
	Recipient string `json:"-"`
}

// Channel sends a message to its recipient. Send must be safe to repeat
// for the same message: a delivery whose outcome was not recorded (the
// server stopped mid-send) is sent again.
type Channel interface {
	// Name is the channel's key in the deliveries table: inbox, email, webhook.
	Name() string
	Send(ctx context.Context, m Message) error
}

// Channel names.
const (
	ChannelInbox   = "inbox"
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
)

// MessageOf builds the message of a stored notice for one recipient.
func MessageOf(n store.Notice, recipient string) Message {
	return Message{
		NoticeID: n.ID, DedupeKey: n.DedupeKey, Kind: n.Kind, Colour: n.Colour, Number: n.Number,
		PlanID: n.PlanID, Jurisdiction: n.Jurisdiction, TaskID: n.TaskID, UnitID: n.UnitID,
		Subject: n.Subject, Body: n.Body, IssuedOn: n.IssuedOn, RespondBy: n.RespondBy, Recipient: recipient,
	}
}

// Dispatcher sends pending deliveries through their channels.
type Dispatcher struct {
	Store    *store.Store
	Channels []Channel
	Now      func() time.Time
	Log      *slog.Logger
	// MaxAttempts is how often a delivery is tried before it is marked
	// failed; 0 means 8.
	MaxAttempts int
	// Lease is how long a claimed delivery is reserved for this sender;
	// 0 means two minutes.
	Lease time.Duration
}

// ErrNoChannel is recorded on a delivery whose channel this server lacks
// (e-mail without an SMTP server configured).
var ErrNoChannel = errors.New("notify: no such channel configured")

// Dispatch sends every delivery that is due, a batch at a time, and returns
// how many were sent. A failed send is retried later with a growing pause
// (1, 2, 4 … minutes, at most a day) until MaxAttempts.
func (d *Dispatcher) Dispatch(ctx context.Context) (sent int, err error) {
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	maxAttempts, lease := d.MaxAttempts, d.Lease
	if maxAttempts <= 0 {
		maxAttempts = 8
	}
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	byName := map[string]Channel{}
	for _, c := range d.Channels {
		byName[c.Name()] = c
	}
	for {
		batch, err := d.Store.ClaimDeliveries(ctx, now(), lease, 100)
		if err != nil {
			return sent, err
		}
		if len(batch) == 0 {
			return sent, nil
		}
		for _, dl := range batch {
			n, err := d.Store.Notice(ctx, dl.NoticeID)
			if err != nil {
				return sent, err
			}
			var sendErr error
			if c, ok := byName[dl.Channel]; ok {
				sendErr = c.Send(ctx, MessageOf(n, dl.Recipient))
			} else {
				sendErr = fmt.Errorf("%w: %s", ErrNoChannel, dl.Channel)
			}
			var retry time.Time
			if sendErr != nil {
				if dl.Attempts < maxAttempts && !errors.Is(sendErr, ErrNoChannel) {
					retry = now().Add(backoff(dl.Attempts))
				}
				log.Warn("notice delivery failed", "notice", n.ID, "channel", dl.Channel, "attempt", dl.Attempts, "err", sendErr, "retry", !retry.IsZero())
			} else {
				sent++
			}
			if err := d.Store.FinishDelivery(ctx, dl.ID, sendErr, now(), retry); err != nil {
				return sent, err
			}
		}
	}
}

// backoff is the pause after the nth failed attempt.
func backoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 11 {
		return 24 * time.Hour
	}
	return min(time.Duration(1<<(attempt-1))*time.Minute, 24*time.Hour)
}
