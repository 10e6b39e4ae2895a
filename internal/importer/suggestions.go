package importer

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/duban-org/duban/internal/extract"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/store"
)

// FallbackUnit is the lead given to a task for which the unit table suggests
// nothing: the government office, which passes it on. The office sees it in
// the task division and can change it.
var FallbackUnit = extract.Unit{Short: "政府办", Name: "人民政府办公室"}

// AcceptSuggestions turns the extractor's unit suggestions into the task
// division of a draft plan: units named in the suggestions are created in
// the jurisdiction when missing (full name = jurisdiction name + the table's
// name), each task gets its suggested lead and cooperating units, and tasks
// without a deadline get deadline. Tasks that already have a lead unit are
// left as they are. It is what "accept all suggestions" does for an office,
// and how the seed plan becomes a working plan on first start.
func AcceptSuggestions(ctx context.Context, tx *store.Tx, planID int64, table *extract.UnitTable, deadline time.Time) error {
	if table == nil {
		table = extract.DefaultUnitTable()
	}
	p, err := tx.Plan(ctx, planID)
	if err != nil {
		return err
	}
	if p.Status != plan.StatusDraft {
		return fmt.Errorf("plan %d is %s: suggestions apply to drafts", planID, p.Status)
	}
	j, err := tx.Jurisdiction(ctx, p.Jurisdiction)
	if err != nil {
		return err
	}
	byShort := map[string]extract.Unit{FallbackUnit.Short: FallbackUnit}
	for _, u := range table.Units() {
		byShort[u.Short] = u
	}
	existing, err := tx.Units(ctx, p.Jurisdiction)
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	for _, u := range existing {
		ids[u.ShortName] = u.ID
	}
	unitID := func(short string) (int64, error) {
		if id, ok := ids[short]; ok {
			return id, nil
		}
		def, ok := byShort[short]
		if !ok {
			def = extract.Unit{Short: short, Name: short}
		}
		u, err := tx.CreateUnit(ctx, org.Unit{Jurisdiction: p.Jurisdiction, Name: j.Name + def.Name, ShortName: def.Short, Aliases: def.Aliases})
		if err != nil {
			return 0, err
		}
		ids[short] = u.ID
		return u.ID, nil
	}
	for _, t := range p.Tasks {
		if t.LeadUnitID != 0 {
			continue
		}
		d := store.Division{Leader: t.Leader, Deadline: t.Deadline, CoUnitIDs: []int64{}}
		if d.Deadline == nil {
			dl := deadline
			d.Deadline = &dl
		}
		for _, s := range t.Suggested {
			id, err := unitID(s.Unit)
			if err != nil {
				return err
			}
			if s.Role == extract.RoleLead && d.LeadUnitID == 0 {
				d.LeadUnitID = id
			} else if id != d.LeadUnitID && !slices.Contains(d.CoUnitIDs, id) {
				d.CoUnitIDs = append(d.CoUnitIDs, id)
			}
		}
		if d.LeadUnitID == 0 {
			if d.LeadUnitID, err = unitID(FallbackUnit.Short); err != nil {
				return err
			}
		}
		if err := tx.SetTaskDivision(ctx, t.ID, d); err != nil {
			return fmt.Errorf("task %s %s: %w", t.Code, t.Title, err)
		}
	}
	return nil
}
