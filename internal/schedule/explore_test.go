package schedule_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/importer"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/seed"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/store/storetest"
)

func TestExplore(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, storetest.Backends(t)[0], nil)
	var id int64
	err := s.Write(ctx, audit.System("t"), func(tx *store.Tx) error {
		for _, j := range []org.Jurisdiction{{Code: seed.ProvinceCode, Name: seed.ProvinceName}, {Code: seed.CityCode, Name: seed.CityName, Parent: seed.ProvinceCode}, {Code: seed.JurisdictionCode, Name: seed.JurisdictionName, Parent: seed.CityCode}} {
			if err := tx.EnsureJurisdiction(ctx, j); err != nil {
				return err
			}
		}
		res, err := importer.Import(ctx, tx, importer.Request{Jurisdiction: seed.JurisdictionCode, Name: seed.PlanName, Data: seed.PlanText, Year: 2021}, 2021)
		if err != nil {
			return err
		}
		id = res.Plan.ID
		return importer.AcceptSuggestions(ctx, tx, id, nil, time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC))
	})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.Plan(ctx, id)
	for _, tk := range p.Tasks {
		fmt.Printf("task %d %s %s lead=%d co=%v ms=%d\n", tk.ID, tk.Code, tk.Title, tk.LeadUnitID, tk.CoUnitIDs, len(tk.Milestones))
		for _, in := range tk.Indicators {
			fmt.Printf("    ind %d %s %v %s %v %s annual=%v\n", in.ID, in.Name, in.Target, in.Comparator, in.Unit, in.Kind, in.AnnualOnly)
		}
	}
	for _, in := range p.Indicators {
		fmt.Printf("MAIN ind %d %s %v %s %v %s\n", in.ID, in.Name, in.Target, in.Comparator, in.Unit, in.Kind)
	}
	us, _ := s.Units(ctx, seed.JurisdictionCode)
	for _, u := range us {
		fmt.Println("unit", u.ID, u.ShortName)
	}
	fmt.Println(p.ValidateForPublish())
}
