package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/notify"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

var ctx = context.Background()

func sample(recipient string) notify.Message {
	return notify.Message{NoticeID: 7, DedupeKey: "notice/red/3/overdue/2021-10-31", Kind: "notice", Colour: "red", Number: "督办〔2021〕16号",
		PlanID: 1, Jurisdiction: "140105", TaskID: 3, UnitID: 2, Subject: "红色督办单：任务3.2 打造科技成果转化地",
		Body: "截止日期2021-10-31已过，未完成。请于2021-11-11前书面反馈。", IssuedOn: delivery.NewDate(2021, 11, 6), RespondBy: delivery.NewDate(2021, 11, 11), Recipient: recipient}
}

// TestWebhookFormats posts to a real HTTP server and checks the body of
// each format, the idempotency header, and that errors are errors.
func TestWebhookFormats(t *testing.T) {
	var mu sync.Mutex
	var got []struct {
		path, key string
		body      map[string]any
	}
	answer := `{"errcode":0,"errmsg":"ok"}`
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
			http.Error(w, "not json", http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, struct {
			path, key string
			body      map[string]any
		}{r.URL.Path, r.Header.Get("Idempotency-Key"), m})
		a, s := answer, status
		mu.Unlock()
		w.WriteHeader(s)
		io.WriteString(w, a)
	}))
	defer srv.Close()
	hook := notify.Webhook{Client: srv.Client()}

	tests := []struct {
		name, recipient, path string
		check                 func(m map[string]any) bool
	}{
		{"generic", srv.URL + "/generic", "/generic", func(m map[string]any) bool {
			return m["dedupe_key"] == "notice/red/3/overdue/2021-10-31" && m["colour"] == "red" && m["respond_by"] == "2021-11-11"
		}},
		{"wecom", notify.WebhookRecipient(notify.FormatWeCom, srv.URL+"/cgi-bin/webhook/send?key=k"), "/cgi-bin/webhook/send", func(m map[string]any) bool {
			text, _ := m["text"].(map[string]any)
			return m["msgtype"] == "text" && strings.HasPrefix(text["content"].(string), "督办〔2021〕16号 红色督办单")
		}},
		{"dingtalk", notify.WebhookRecipient(notify.FormatDingTalk, srv.URL+"/robot/send?access_token=x"), "/robot/send", func(m map[string]any) bool {
			text, _ := m["text"].(map[string]any)
			return m["msgtype"] == "text" && strings.Contains(text["content"].(string), "请于2021-11-11前书面反馈")
		}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := hook.Send(ctx, sample(tc.recipient)); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(got) != i+1 || got[i].path != tc.path || got[i].key != "notice/red/3/overdue/2021-10-31" || !tc.check(got[i].body) {
				t.Fatalf("received %+v", got[len(got)-1])
			}
		})
	}
	mu.Lock()
	answer = `{"errcode":93000,"errmsg":"invalid webhook url"}`
	mu.Unlock()
	if err := hook.Send(ctx, sample(notify.WebhookRecipient(notify.FormatWeCom, srv.URL))); err == nil || !strings.Contains(err.Error(), "93000") {
		t.Errorf("a robot's error code: %v", err)
	}
	mu.Lock()
	answer, status = "down", http.StatusServiceUnavailable
	mu.Unlock()
	if err := hook.Send(ctx, sample(srv.URL)); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("a 503: %v", err)
	}
}

func TestInboxRecipients(t *testing.T) {
	for _, tc := range []struct {
		in   string
		unit int64
		role string
		ok   bool
	}{
		{"unit:12", 12, "", true}, {"role:leader", 0, "leader", true},
		{"unit:0", 0, "", false}, {"unit:x", 0, "", false}, {"role:", 0, "", false}, {"12", 0, "", false}, {"", 0, "", false},
	} {
		unit, role, err := notify.ParseInboxRecipient(tc.in)
		if (err == nil) != tc.ok || unit != tc.unit || role != tc.role {
			t.Errorf("%q: %d %q %v", tc.in, unit, role, err)
		}
	}
}

// flaky fails its first n sends.
type flaky struct {
	mu    sync.Mutex
	fails int
	sent  []string
}

func (f *flaky) Name() string { return notify.ChannelWebhook }
func (f *flaky) Send(_ context.Context, m notify.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return errors.New("connection refused")
	}
	f.sent = append(f.sent, m.DedupeKey)
	return nil
}

// TestDispatcherRetriesAndInbox issues a notice with three deliveries: the
// inbox (twice sent, once shown), a webhook that fails twice before it
// works, and an e-mail this server cannot send, which fails at once.
func TestDispatcherRetriesAndInbox(t *testing.T) {
	now := time.Date(2021, 5, 6, 2, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	storetest.Each(t, clock, func(t *testing.T, s *store.Store) {
		now = time.Date(2021, 5, 6, 2, 0, 0, 0, time.UTC)
		var unit org.Unit
		var n store.Notice
		err := s.Write(ctx, audit.System("test"), func(tx *store.Tx) error {
			if err := tx.EnsureJurisdiction(ctx, org.Jurisdiction{Code: "140105", Name: "小店区"}); err != nil {
				return err
			}
			var err error
			if unit, err = tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: "小店区民政局"}); err != nil {
				return err
			}
			p, err := tx.CreatePlan(ctx, &plan.Plan{Jurisdiction: "140105", Year: 2021, Title: "计划", Status: plan.StatusDraft, SourceSHA256: "y"}, nil)
			if err != nil {
				return err
			}
			n, _, err = tx.IssueNotice(ctx, store.Notice{PlanID: p.ID, Jurisdiction: "140105", Kind: store.KindReminder, UnitID: unit.ID, Subject: "催办",
				Body: "请报送", DedupeKey: "remind/report/1/1/2021-04/+1", IssuedOn: delivery.NewDate(2021, 5, 6)},
				[]store.Route{{Channel: notify.ChannelInbox, Recipient: notify.InboxUnit(unit.ID)}, {Channel: notify.ChannelWebhook, Recipient: "http://127.0.0.1:9/"}, {Channel: notify.ChannelEmail, Recipient: "mzj@example.org"}})
			if err != nil {
				return err
			}
			// The same key again issues nothing.
			_, again, err := tx.IssueNotice(ctx, store.Notice{PlanID: p.ID, Jurisdiction: "140105", Kind: store.KindReminder, Subject: "催办", Body: "x",
				DedupeKey: "remind/report/1/1/2021-04/+1", IssuedOn: delivery.NewDate(2021, 5, 7)}, nil)
			if again {
				t.Errorf("the same dedupe key was issued twice")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		hook := &flaky{fails: 2}
		d := &notify.Dispatcher{Store: s, Now: clock, Channels: []notify.Channel{notify.Inbox{Store: s}, hook}, MaxAttempts: 5}
		sent, err := d.Dispatch(ctx)
		if err != nil || sent != 1 {
			t.Fatalf("first pass sent %d (%v); want the inbox only", sent, err)
		}
		for i := 0; i < 3; i++ { // retries come after one, then two minutes
			now = now.Add(2 * time.Minute)
			if _, err := d.Dispatch(ctx); err != nil {
				t.Fatal(err)
			}
		}
		got := map[string]store.Delivery{}
		list, _ := s.Deliveries(ctx, n.PlanID, n.ID)
		for _, dl := range list {
			got[dl.Channel] = dl
		}
		if dl := got[notify.ChannelWebhook]; dl.Status != store.DeliverySent || dl.Attempts != 3 || len(hook.sent) != 1 {
			t.Errorf("webhook delivery %+v, sent %v; want sent on the third attempt, once", dl, hook.sent)
		}
		if dl := got[notify.ChannelEmail]; dl.Status != store.DeliveryFailed || !strings.Contains(dl.LastError, "no such channel") {
			t.Errorf("e-mail delivery without an e-mail channel: %+v", dl)
		}
		// A resend of the inbox message (a crash before its outcome was
		// recorded) shows it once.
		if err := (notify.Inbox{Store: s}).Send(ctx, notify.MessageOf(n, notify.InboxUnit(unit.ID))); err != nil {
			t.Fatal(err)
		}
		items, _ := s.Inbox(ctx, "140105", unit.ID, "")
		if len(items) != 1 || items[0].Subject != "催办" {
			t.Errorf("inbox %+v; want the one reminder", items)
		}
	})
}
