package importer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/importer"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/seed"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

var ctx = context.Background()

func prepare(t *testing.T, s *store.Store) {
	t.Helper()
	err := s.Write(ctx, audit.System("test"), func(tx *store.Tx) error {
		for _, j := range []org.Jurisdiction{{Code: "140000", Name: "山西省"}, {Code: "140100", Name: "太原市", Parent: "140000"}, {Code: "140105", Name: "小店区", Parent: "140100"}} {
			if err := tx.EnsureJurisdiction(ctx, j); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func importSeed(t *testing.T, s *store.Store) importer.Result {
	t.Helper()
	var res importer.Result
	err := s.Write(ctx, audit.System("test"), func(tx *store.Tx) error {
		var err error
		res, err = importer.Import(ctx, tx, importer.Request{Jurisdiction: "140105", Name: seed.PlanName, Data: seed.PlanText}, 2026)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestImportSeedOnceAndPublish(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, s *store.Store) {
		prepare(t, s)
		first := importSeed(t, s)
		if !first.Created {
			t.Fatal("first import did not create a plan")
		}
		p := first.Plan
		if p.Year != 2021 {
			t.Errorf("year read from the document = %d, want 2021", p.Year)
		}
		if p.Status != plan.StatusDraft || p.SourceName != seed.PlanName || len(p.SourceSHA256) != 64 {
			t.Errorf("plan = %+v", p)
		}
		top := 0
		for _, sec := range p.Sections {
			if sec.ParentID == 0 {
				top++
			}
		}
		if top != 7 {
			t.Errorf("top-level sections = %d, want the seed's seven pillars", top)
		}
		if len(p.Tasks) < 18 || len(p.Tasks) > 24 {
			t.Errorf("tasks = %d, want about twenty", len(p.Tasks))
		}
		indicators := len(p.Indicators)
		for _, task := range p.Tasks {
			indicators += len(task.Indicators)
		}
		if indicators != 6 {
			t.Errorf("indicators = %d, want the seed's 6 targets counted once", indicators)
		}
		kinds := map[string]int{}
		for _, f := range p.Flags {
			kinds[f.Kind]++
		}
		for _, k := range []string{"duplicate", "missing_heading", "truncated"} {
			if kinds[k] == 0 {
				t.Errorf("no %s flag among %v", k, kinds)
			}
		}

		// The same document again returns the same plan.
		again := importSeed(t, s)
		if again.Created || again.Plan.ID != p.ID {
			t.Fatalf("second import: created=%v id=%d, want the existing plan %d", again.Created, again.Plan.ID, p.ID)
		}
		if list, _ := s.Plans(ctx, store.PlanFilter{}); len(list) != 1 {
			t.Fatalf("plans after two imports = %d", len(list))
		}

		// A draft without lead units cannot be published; with the
		// suggestions accepted it can.
		err := s.Write(ctx, audit.System("test"), func(tx *store.Tx) error { return tx.PublishPlan(ctx, p.ID) })
		var v fault.Validation
		if !errors.As(err, &v) {
			t.Fatalf("publishing an undivided plan: %v", err)
		}
		err = s.Write(ctx, audit.System("test"), func(tx *store.Tx) error {
			if err := importer.AcceptSuggestions(ctx, tx, p.ID, nil, time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)); err != nil {
				return err
			}
			return tx.PublishPlan(ctx, p.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Plan(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != plan.StatusPublished {
			t.Fatalf("status = %s", got.Status)
		}
		units, _ := s.Units(ctx, "140105")
		byID := map[int64]org.Unit{}
		for _, u := range units {
			byID[u.ID] = u
		}
		for _, task := range got.Tasks {
			if task.LeadUnitID == 0 || task.Deadline == nil {
				t.Errorf("task %s %s: lead %d deadline %v", task.Code, task.Title, task.LeadUnitID, task.Deadline)
			}
			if task.Title == "织密社会保障网络" && byID[task.LeadUnitID].ShortName != "人社局" {
				t.Errorf("织密社会保障网络 lead = %q, want 人社局", byID[task.LeadUnitID].ShortName)
			}
		}
		if n, err := s.VerifyAudit(ctx); err != nil || n == 0 {
			t.Fatalf("audit after import: %d events, %v", n, err)
		}
	})
}

func TestImportRejectsUnreadableDocument(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, s *store.Store) {
		prepare(t, s)
		for name, data := range map[string][]byte{
			"empty.txt":  {},
			"binary.txt": {0x00, 0x01, 0x02, 0xff, 0x00, 0x10},
			"blank.txt":  []byte("   \n\n  \t "),
		} {
			err := s.Write(ctx, audit.System("test"), func(tx *store.Tx) error {
				_, err := importer.Import(ctx, tx, importer.Request{Jurisdiction: "140105", Name: name, Data: data}, 2026)
				return err
			})
			if !errors.Is(err, fault.ErrInvalid) {
				t.Errorf("%s: err = %v, want invalid", name, err)
			}
		}
		if list, _ := s.Plans(ctx, store.PlanFilter{}); len(list) != 0 {
			t.Fatalf("a failed import left %d plans", len(list))
		}
	})
}
