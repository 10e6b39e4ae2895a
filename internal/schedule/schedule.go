// Package schedule is the scheduler inside the server: every day it judges
// each published plan (status against 序时进度), issues the reminders and
// supervision notices that are due, escalates notices left unanswered, and
// hands the resulting deliveries to the notify dispatcher.
//
// It keeps no state in memory that matters. The last day judged is stored
// per plan (scheduler_state), so a restarted server resumes where the last
// one stopped and judges every missed day in turn; each notice is stored
// under a unique dedupe key in the same transaction as its deliveries, so a
// day judged twice — after a crash, or by two servers — sends nothing
// twice. Time comes from Clock, so a test runs a year in seconds.
package schedule

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/notify"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
)

// Scheduler judges published plans day by day.
type Scheduler struct {
	Store *store.Store
	// Clock tells the time; nil means time.Now.
	Clock func() time.Time
	// Dispatcher sends the deliveries the scheduler creates; nil: they wait
	// in the table for a server that has one.
	Dispatcher *notify.Dispatcher
	// Email says whether e-mail deliveries are created (an SMTP server is
	// configured); without it, notices go to the inbox and webhooks only.
	Email bool
	Log   *slog.Logger
	// Interval is the pause between ticks of Run; 0 means one minute.
	Interval time.Duration
}

// Result counts what one Tick did.
type Result struct {
	Days      int // plan-days judged
	Issued    int // notices issued
	Escalated int
	Sent      int // deliveries sent
}

func (s *Scheduler) now() time.Time {
	if s.Clock != nil {
		return s.Clock()
	}
	return time.Now()
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// JobName is the scheduler_state key of a plan's daily job.
func JobName(planID int64) string { return "plan:" + strconv.FormatInt(planID, 10) + ":daily" }

// Run ticks until ctx is cancelled. A failed tick is logged and retried at
// the next one; nothing is lost because progress is stored per day.
func (s *Scheduler) Run(ctx context.Context) {
	interval := s.Interval
	if interval <= 0 {
		interval = time.Minute
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if res, err := s.Tick(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			s.log().Error("scheduler tick failed", "err", err)
		} else if res.Issued > 0 || res.Sent > 0 {
			s.log().Info("scheduler", "days", res.Days, "issued", res.Issued, "escalated", res.Escalated, "sent", res.Sent)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick judges, for every published plan, the days since its last judged
// day, then dispatches pending deliveries. Missed days (downtime) are
// judged together through delivery.Supervision.Between, which evaluates
// each day as if the scheduler had run then and keeps only the latest of
// several reminders on one subject; the superseded keys are recorded so
// they never go out later. Today is judged on every tick but recorded as
// done only once it is over, so what happens later today (a report
// returned at 16:00) is still noticed today.
func (s *Scheduler) Tick(ctx context.Context) (Result, error) {
	var res Result
	plans, err := s.Store.Plans(ctx, store.PlanFilter{Status: plan.StatusPublished})
	if err != nil {
		return res, err
	}
	for _, p := range plans {
		settings, err := s.Store.PlanSettings(ctx, p.ID)
		if err != nil {
			return res, err
		}
		today := delivery.DayIn(s.now(), settings.Status.Location)
		last, started, err := s.Store.JobDay(ctx, JobName(p.ID))
		if err != nil {
			return res, err
		}
		if started && last+1 < today {
			r, err := s.Judge(ctx, p.ID, last+1, today-1, true)
			if err != nil {
				return res, fmt.Errorf("schedule: plan %d days %s–%s: %w", p.ID, last+1, today-1, err)
			}
			res.add(r)
		}
		r, err := s.Judge(ctx, p.ID, today, today, false)
		if err != nil {
			return res, fmt.Errorf("schedule: plan %d day %s: %w", p.ID, today, err)
		}
		res.add(r)
	}
	if s.Dispatcher != nil {
		sent, err := s.Dispatcher.Dispatch(ctx)
		res.Sent += sent
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

func (r *Result) add(o Result) {
	r.Days += o.Days
	r.Issued += o.Issued
	r.Escalated += o.Escalated
	r.Sent += o.Sent
}

// Judge judges one plan for the days from..to and issues what is due, each
// under its dedupe key. With done, it records to as judged; days already
// recorded are skipped, so two servers (or a retried tick) judge a day once.
//
// The plan is read and judged before the write transaction, not inside it:
// judging a large plan takes a while, and on SQLite a write transaction
// holds the database's one write lock. Nothing is lost by reading first:
// a stale read can only propose a notice that was issued meanwhile, and
// the store skips a dedupe key it already holds.
func (s *Scheduler) Judge(ctx context.Context, planID int64, from, to delivery.Date, done bool) (Result, error) {
	var res Result
	job := JobName(planID)
	last, started, err := s.Store.JobDay(ctx, job)
	if err != nil {
		return res, err
	}
	if started {
		if last >= to {
			return res, nil
		}
		from = max(from, last+1)
	}
	in, settings, err := s.Store.DeliveryInputs(ctx, planID)
	if err != nil {
		return res, err
	}
	sup, err := supervision(ctx, s.Store, in, settings)
	if err != nil {
		return res, err
	}
	var acts delivery.Actions
	if from == to {
		acts = sup.On(to)
	} else {
		acts = sup.Between(from, to)
	}
	err = s.Store.Write(ctx, audit.System("duban scheduler"), func(tx *store.Tx) error {
		res = Result{}
		last, err := tx.LockJobDay(ctx, job, from)
		if err != nil {
			return err
		}
		if last >= to {
			return nil // another server judged these days meanwhile
		}
		res.Days = int(to-from) + 1
		issue := func(n store.Notice, routes []store.Route) (bool, error) {
			n.PlanID, n.Jurisdiction = planID, in.Plan.Jurisdiction
			_, ok, err := tx.IssueNotice(ctx, n, routes)
			if ok {
				res.Issued++
				if n.Kind == store.KindEscalation {
					res.Escalated++
				}
			}
			return ok, err
		}
		tasks := map[int64]plan.Task{}
		for _, t := range in.Plan.Tasks {
			tasks[t.ID] = t
		}
		for _, r := range acts.Reminders {
			t := tasks[r.TaskID]
			if _, err := issue(store.Notice{Kind: store.KindReminder, TaskID: r.TaskID, UnitID: r.UnitID, Leader: t.Leader,
				Subject: "催办：" + r.Message.Zh, Body: r.Message.Zh + "\n" + r.Message.En, Reason: "reminder." + string(r.Kind),
				DedupeKey: r.Key, IssuedOn: r.On}, s.routes(settings.Channels, []int64{r.UnitID}, false)); err != nil {
				return err
			}
		}
		for _, n := range acts.Notices {
			t := tasks[n.TaskID]
			if _, err := issue(store.Notice{Kind: store.KindNotice, Colour: string(n.Color), TaskID: n.TaskID, UnitID: n.UnitID, Leader: n.Leader,
				Subject: fmt.Sprintf("%s督办单：任务%s %s", colourZh[n.Color], t.Code, t.Title),
				Body:    fmt.Sprintf("%s。请于%s前书面反馈。\n%s", n.Reason.Zh, n.RespondBy, n.Reason.En),
				Reason:  "notice." + n.Cause, DedupeKey: n.Key, IssuedOn: n.Issued, RespondBy: n.RespondBy},
				s.routes(settings.Channels, append([]int64{n.UnitID}, n.CoUnitIDs...), false)); err != nil {
				return err
			}
		}
		for _, e := range acts.Escalations {
			parent, err := tx.NoticeByKey(ctx, e.NoticeKey)
			if err != nil {
				return err
			}
			leader := e.Leader
			if leader == "" {
				leader = "责任领导"
			}
			ok, err := issue(store.Notice{Kind: store.KindEscalation, Colour: parent.Colour, TaskID: e.TaskID, UnitID: parent.UnitID, Leader: e.Leader, ParentID: parent.ID,
				Subject: fmt.Sprintf("提请%s督办：%s %s", leader, parent.Number, parent.Subject),
				Body:    e.Reason.Zh + "\n" + e.Reason.En, Reason: "notice.unanswered", DedupeKey: e.Key, IssuedOn: e.On},
				s.routes(settings.Channels, nil, true))
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if err := tx.MarkEscalated(ctx, parent.ID, e.On); err != nil {
				return err
			}
		}
		for _, key := range acts.Superseded {
			if err := tx.RecordSuperseded(ctx, planID, in.Plan.Jurisdiction, key, to); err != nil {
				return err
			}
		}
		if done {
			return tx.SetJobDay(ctx, job, to)
		}
		return nil
	})
	return res, err
}

var colourZh = map[delivery.NoticeColor]string{delivery.NoticeBlue: "蓝色", delivery.NoticeYellow: "黄色", delivery.NoticeRed: "红色"}

// noticeReader is the part of the store supervision reads.
type noticeReader interface {
	NoticeKeys(ctx context.Context, planID int64) ([]string, error)
	Notices(ctx context.Context, f store.NoticeFilter) ([]store.Notice, error)
}

// supervision gathers what the reminder rules read: the inputs, the rules,
// the notices issued so far with their responses, and every key already
// used (issued or superseded).
func supervision(ctx context.Context, r noticeReader, in delivery.Inputs, settings store.PlanSettings) (delivery.Supervision, error) {
	rr := delivery.DefaultReminderRules()
	if len(settings.Reminders) > 0 {
		if err := json.Unmarshal(settings.Reminders, &rr); err != nil {
			return delivery.Supervision{}, fmt.Errorf("reminder rules of plan %d: %w", in.Plan.ID, err)
		}
	}
	sup := delivery.Supervision{Inputs: in, Rules: settings.Status, Reminders: rr, Sent: map[string]bool{}}
	keys, err := r.NoticeKeys(ctx, in.Plan.ID)
	if err != nil {
		return sup, err
	}
	for _, k := range keys {
		sup.Sent[k] = true
	}
	issued, err := r.Notices(ctx, store.NoticeFilter{PlanID: in.Plan.ID, Kind: store.KindNotice})
	if err != nil {
		return sup, err
	}
	for _, n := range issued {
		dn := delivery.Notice{Key: n.DedupeKey, Color: delivery.NoticeColor(n.Colour), TaskID: n.TaskID, UnitID: n.UnitID, Leader: n.Leader,
			Issued: n.IssuedOn, RespondBy: n.RespondBy}
		if n.RespondedAt != nil {
			dn.Responded = delivery.DayIn(*n.RespondedAt, settings.Status.Location)
		}
		sup.Notices = append(sup.Notices, dn)
	}
	return sup, nil
}

// routes lists where the scheduler's notices go; see Routes.
func (s *Scheduler) routes(c store.Channels, units []int64, leaders bool) []store.Route {
	return Routes(c, units, leaders, s.Email)
}

// Routes lists where a notice goes: the inboxes of units (and the
// leaders' for an escalation), their e-mail addresses when e-mail is on,
// and every webhook of the plan. The API uses it for notices the office
// issues by hand.
func Routes(c store.Channels, units []int64, leaders, email bool) []store.Route {
	var out []store.Route
	var mails []string
	if leaders {
		out = append(out, store.Route{Channel: notify.ChannelInbox, Recipient: notify.InboxRole(string(org.RoleLeader))})
		mails = c.LeaderEmail
	}
	for _, u := range units {
		if u == 0 {
			continue
		}
		out = append(out, store.Route{Channel: notify.ChannelInbox, Recipient: notify.InboxUnit(u)})
		mails = append(mails, c.Email[u]...)
	}
	if email {
		for _, m := range mails {
			out = append(out, store.Route{Channel: notify.ChannelEmail, Recipient: m})
		}
	}
	for _, w := range c.Webhooks {
		out = append(out, store.Route{Channel: notify.ChannelWebhook, Recipient: notify.WebhookRecipient(w.Format, w.URL)})
	}
	return out
}
