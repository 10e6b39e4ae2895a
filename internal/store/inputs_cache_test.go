package store

import (
	"testing"

	"github.com/duban-org/duban/internal/delivery"
)

// TestInputsCacheBudget checks the cache's bookkeeping: the least recently
// read plan goes first when the budget is full, older inputs never replace
// newer ones, and a plan larger than the whole budget is not kept.
func TestInputsCacheBudget(t *testing.T) {
	reports := func(n int) delivery.Inputs { return delivery.Inputs{Reports: make([]delivery.Report, n)} }
	third := inputsBudget/3 - 1 // three fit, four do not
	c := newInputsCache()
	c.put(1, 5, reports(third), PlanSettings{PlanID: 1})
	c.put(2, 5, reports(third), PlanSettings{PlanID: 2})
	c.put(3, 5, reports(third), PlanSettings{PlanID: 3})
	if _, ok := c.get(1, 5); !ok { // plan 1 is now more recent than plan 2
		t.Fatal("plan 1 not kept")
	}
	c.put(4, 5, reports(third), PlanSettings{PlanID: 4})
	for _, tc := range []struct {
		plan, revision int64
		want           bool
	}{{1, 5, true}, {2, 5, false}, {3, 5, true}, {4, 5, true}, {1, 6, false}} {
		if _, ok := c.get(tc.plan, tc.revision); ok != tc.want {
			t.Errorf("plan %d at revision %d: cached %v, want %v", tc.plan, tc.revision, ok, tc.want)
		}
	}
	if c.reports != 3*(third+1) {
		t.Errorf("%d reports counted, want %d", c.reports, 3*(third+1))
	}

	c.put(3, 7, reports(1), PlanSettings{PlanID: 3})
	c.put(3, 6, reports(2), PlanSettings{PlanID: 3}) // a slower reader of an older revision
	if e, ok := c.get(3, 7); !ok || len(e.in.Reports) != 1 {
		t.Errorf("revision 7 of plan 3 replaced by revision 6")
	}

	c.put(5, 1, reports(inputsBudget), PlanSettings{PlanID: 5})
	if _, ok := c.get(5, 1); ok {
		t.Error("a plan larger than the budget was kept")
	}
	if _, ok := c.get(1, 5); !ok {
		t.Error("keeping nothing of an oversized plan still evicted plan 1")
	}
}
