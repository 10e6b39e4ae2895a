package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

var ctx = context.Background()

func fixedClock() func() time.Time {
	t := time.Date(2021, 4, 12, 9, 30, 0, 123456789, time.UTC)
	return func() time.Time { return t }
}

var admin = audit.Actor{UserID: 0, Name: "test", Remote: "127.0.0.1"}

func seedOrg(t *testing.T, s *store.Store) (unitA, unitB org.Unit) {
	t.Helper()
	err := s.Write(ctx, admin, func(tx *store.Tx) error {
		for _, j := range []org.Jurisdiction{{Code: "140000", Name: "山西省"}, {Code: "140100", Name: "太原市", Parent: "140000"}, {Code: "140105", Name: "小店区", Parent: "140100"}} {
			if err := tx.EnsureJurisdiction(ctx, j); err != nil {
				return err
			}
		}
		var err error
		if unitA, err = tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: "小店区人力资源和社会保障局", ShortName: "人社局", Aliases: []string{"区人社局"}}); err != nil {
			return err
		}
		unitB, err = tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: "小店区民政局", ShortName: "民政局"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return unitA, unitB
}

func TestMigrationsSameNumbersPerDialect(t *testing.T) {
	versions := func(dir string) []string {
		entries, err := os.ReadDir(filepath.Join("migrations", dir))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			num, _, _ := strings.Cut(e.Name(), "_")
			out = append(out, num)
		}
		sort.Strings(out)
		return out
	}
	sq, pg := versions("sqlite"), versions("postgres")
	if len(sq) == 0 || !reflect.DeepEqual(sq, pg) {
		t.Fatalf("migration numbers differ: sqlite %v, postgres %v", sq, pg)
	}
}

func TestMigrateIsIdempotentAndVersioned(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, s *store.Store) {
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		cur, latest, err := s.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cur != latest || cur < 1 {
			t.Fatalf("schema version %d, latest %d", cur, latest)
		}
	})
}

func TestOpenRejectsWhatIsNotADubanDatabase(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(text, []byte("这不是数据库, just some text that is long enough"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(ctx, text, store.Options{}); err == nil || !strings.Contains(err.Error(), "not a duban database") {
		t.Fatalf("text file: got %v", err)
	}
	if _, err := store.Open(ctx, dir, store.Options{}); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("directory: got %v", err)
	}
	// A SQLite database of some other program.
	other := filepath.Join(dir, "other.db")
	s, err := store.Open(ctx, other, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`CREATE TABLE invoices (id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = store.Open(ctx, other, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "not a duban database") {
		t.Fatalf("foreign SQLite: got %v", err)
	}
}

func TestOpenUnreachablePostgres(t *testing.T) {
	// Port 1 on loopback: nothing listens, the dial is refused at once.
	_, err := store.Open(ctx, "postgres://duban:secret@127.0.0.1:1/duban?sslmode=disable&connect_timeout=2", store.Options{})
	if err == nil || !strings.Contains(err.Error(), "cannot reach PostgreSQL") {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Fatalf("password leaked in %v", err)
	}
}

func TestOrgRoundTrip(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, s *store.Store) {
		a, b := seedOrg(t, s)
		units, err := s.Units(ctx, "140105")
		if err != nil {
			t.Fatal(err)
		}
		if len(units) != 2 || !reflect.DeepEqual(units[0], a) || units[1].Name != b.Name || len(units[1].Aliases) != 0 {
			t.Fatalf("units = %+v", units)
		}
		j, err := s.Jurisdiction(ctx, "140105")
		if err != nil || j.Parent != "140100" || j.Name != "小店区" {
			t.Fatalf("jurisdiction = %+v, %v", j, err)
		}
		if _, err := s.Jurisdiction(ctx, "999999"); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("missing jurisdiction: %v", err)
		}
		var u org.User
		err = s.Write(ctx, admin, func(tx *store.Tx) error {
			var err error
			u, err = tx.CreateUser(ctx, org.User{Jurisdiction: "140105", Username: "zhang.san", DisplayName: "张三", Role: org.RoleReporter, UnitID: a.ID, PasswordHash: "$argon2id$x"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.UserByName(ctx, "zhang.san")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || got.UnitID != a.ID || got.Role != org.RoleReporter || !got.CreatedAt.Equal(audit.Normalize(fixedClock()())) {
			t.Fatalf("user = %+v", got)
		}
		// The same name again is a conflict, not a server error.
		err = s.Write(ctx, admin, func(tx *store.Tx) error {
			_, err := tx.CreateUser(ctx, org.User{Jurisdiction: "140105", Username: "zhang.san", Role: org.RoleViewer})
			return err
		})
		if !errors.Is(err, fault.ErrConflict) {
			t.Fatalf("duplicate user: %v", err)
		}
		// Validation happens before SQL.
		err = s.Write(ctx, admin, func(tx *store.Tx) error {
			_, err := tx.CreateUser(ctx, org.User{Jurisdiction: "140105", Username: "li", Role: org.RoleReporter})
			return err
		})
		var v fault.Validation
		if !errors.As(err, &v) || v[0].Field != "unit_id" {
			t.Fatalf("reporter without unit: %v", err)
		}
		got.Disabled = true
		if err := s.Write(ctx, admin, func(tx *store.Tx) error { return tx.UpdateUser(ctx, got) }); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.User(ctx, got.ID); !again.Disabled {
			t.Fatal("disable not saved")
		}
		if n, err := s.CountUsers(ctx); err != nil || n != 1 {
			t.Fatalf("count = %d, %v", n, err)
		}
	})
}

func samplePlan(lead, co int64) *plan.Plan {
	deadline := time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)
	base := 1.5
	return &plan.Plan{
		Jurisdiction: "140105", Year: 2021, Title: "测试计划", Status: plan.StatusDraft,
		SourceName: "plan.txt", SourceSHA256: strings.Repeat("ab", 32), SourceText: "全文",
		Sections: []plan.Section{{Title: "倾力保障改善民生"}, {Title: "就业", ParentID: 1}},
		Tasks: []plan.Task{{
			SectionID: 2, Code: "1.1", Title: "织密社会保障网络", Text: "织密社会保障网络。新增就业1.6万人。",
			SourceStart: 10, SourceEnd: 30, LeadUnitID: lead, CoUnitIDs: []int64{co}, Leader: "王副区长", Deadline: &deadline,
			Suggested:  []plan.Suggested{{Unit: "人社局", Role: "lead", Because: []string{"就业"}}},
			Milestones: []plan.Milestone{{Title: "上半年过半", Due: time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)}},
			Indicators: []plan.Indicator{{Name: "新增就业", Unit: "人", Target: 16000, Comparator: plan.Eq, Kind: plan.Cumulative, SourceText: "新增就业1.6万人"}},
		}, {Code: "1.2", Title: "无节无指标的任务"}},
		Indicators: []plan.Indicator{{Name: "地区生产总值", Unit: "%", Target: 8.5, Comparator: plan.GE, Kind: plan.Growth, Baseline: &base, ResponsibleUnitID: lead}},
		Flags:      []plan.Flag{{Kind: "truncated", Message: "句子被截断", Text: "坚持信", Start: 5, End: 8}},
	}
}

func TestPlanRoundTrip(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, s *store.Store) {
		a, b := seedOrg(t, s)
		var stored *plan.Plan
		err := s.Write(ctx, admin, func(tx *store.Tx) error {
			var err error
			stored, err = tx.CreatePlan(ctx, samplePlan(a.ID, b.ID), []byte("原文"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.Plan(ctx, stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Sections) != 2 || p.Sections[1].ParentID != p.Sections[0].ID {
			t.Fatalf("sections = %+v", p.Sections)
		}
		if len(p.Tasks) != 2 {
			t.Fatalf("tasks = %+v", p.Tasks)
		}
		t1 := p.Tasks[0]
		if t1.SectionID != p.Sections[1].ID || t1.LeadUnitID != a.ID || !reflect.DeepEqual(t1.CoUnitIDs, []int64{b.ID}) ||
			t1.Deadline == nil || t1.Deadline.Format("2006-01-02") != "2021-12-31" || t1.Leader != "王副区长" {
			t.Fatalf("task = %+v", t1)
		}
		if len(t1.Milestones) != 1 || t1.Milestones[0].Due.Format("2006-01-02") != "2021-06-30" {
			t.Fatalf("milestones = %+v", t1.Milestones)
		}
		if len(t1.Indicators) != 1 || t1.Indicators[0].Target != 16000 || t1.Indicators[0].Kind != plan.Cumulative {
			t.Fatalf("task indicators = %+v", t1.Indicators)
		}
		if len(t1.Suggested) != 1 || t1.Suggested[0].Because[0] != "就业" {
			t.Fatalf("suggested = %+v", t1.Suggested)
		}
		if len(p.Indicators) != 1 || p.Indicators[0].Baseline == nil || *p.Indicators[0].Baseline != 1.5 || p.Indicators[0].ResponsibleUnitID != a.ID {
			t.Fatalf("main indicators = %+v", p.Indicators)
		}
		if len(p.Flags) != 1 || p.Flags[0].Text != "坚持信" {
			t.Fatalf("flags = %+v", p.Flags)
		}
		if p.Tasks[1].SectionID != 0 || p.Tasks[1].Deadline != nil || len(p.Tasks[1].CoUnitIDs) != 0 {
			t.Fatalf("bare task = %+v", p.Tasks[1])
		}
		name, doc, err := s.PlanSource(ctx, p.ID)
		if err != nil || name != "plan.txt" || string(doc) != "原文" {
			t.Fatalf("source = %q %q %v", name, doc, err)
		}
		list, err := s.Plans(ctx, store.PlanFilter{Jurisdiction: "140105"})
		if err != nil || len(list) != 1 || list[0].Tasks != 2 || list[0].Indicators != 2 {
			t.Fatalf("plans = %+v, %v", list, err)
		}
		if found, err := s.PlanBySource(ctx, "140105", p.SourceSHA256); err != nil || found.ID != p.ID {
			t.Fatalf("by source = %+v, %v", found, err)
		}
		// The same document twice in one jurisdiction is a conflict.
		err = s.Write(ctx, admin, func(tx *store.Tx) error {
			_, err := tx.CreatePlan(ctx, samplePlan(a.ID, b.ID), nil)
			return err
		})
		if !errors.Is(err, fault.ErrConflict) {
			t.Fatalf("second import: %v", err)
		}
		if _, err := s.Plan(ctx, 424242); !errors.Is(err, fault.ErrNotFound) {
			t.Fatalf("missing plan: %v", err)
		}
	})
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, s *store.Store) {
		a, b := seedOrg(t, s)
		before, err := s.AuditEvents(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		err = s.Write(ctx, admin, func(tx *store.Tx) error {
			if _, err := tx.CreatePlan(ctx, samplePlan(a.ID, b.ID), nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		if list, _ := s.Plans(ctx, store.PlanFilter{}); len(list) != 0 {
			t.Fatalf("plan survived a rolled-back write: %+v", list)
		}
		after, _ := s.AuditEvents(ctx, 0, 0)
		if len(after) != len(before) {
			t.Fatalf("audit events %d → %d after a rollback", len(before), len(after))
		}
		if _, err := s.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAuditChainConcurrentWritersAndTamper(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, s *store.Store) {
		seedOrg(t, s)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs <- s.Write(ctx, audit.Actor{UserID: int64(i), Name: "w"}, func(tx *store.Tx) error {
					_, err := tx.CreateUnit(ctx, org.Unit{Jurisdiction: "140105", Name: "单位" + strings.Repeat("甲", i+1)})
					return err
				})
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// 3 jurisdictions + 2 units from seedOrg, 40 units here.
		if n != 45 {
			t.Fatalf("verified %d events, want 45", n)
		}
		events, _ := s.AuditEvents(ctx, 0, 0)
		if events[0].PrevHash != audit.Genesis || events[0].Action != "jurisdiction.create" || events[0].Actor.Remote != "127.0.0.1" {
			t.Fatalf("first event = %+v", events[0])
		}
		// Alter one event's content: verification names it.
		victim := events[10].ID
		if _, err := s.DB().Exec(rebind(s, `UPDATE audit_events SET actor_name = ? WHERE id = ?`), "someone else", victim); err != nil {
			t.Fatal(err)
		}
		_, err = s.VerifyAudit(ctx)
		var br *audit.Break
		if !errors.As(err, &br) || br.EventID != victim {
			t.Fatalf("tampered event %d: verify said %v", victim, err)
		}
	})
}

func TestAuditDetectsRemovedTail(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, s *store.Store) {
		seedOrg(t, s)
		if _, err := s.DB().Exec(`DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)`); err != nil {
			t.Fatal(err)
		}
		var br *audit.Break
		if _, err := s.VerifyAudit(ctx); !errors.As(err, &br) {
			t.Fatalf("removed last event: verify said %v", err)
		}
	})
}

func rebind(s *store.Store, q string) string {
	if !s.Postgres() {
		return q
	}
	n := 0
	var b strings.Builder
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + string(rune('0'+n)))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
