package auth

import (
	"slices"

	"github.com/duban-org/duban/internal/org"
)

// The object rules: which task, report, notice or plan a principal may
// touch once the role table has let the action through. They take plain
// values so that this package depends on nothing but org, and every
// handler asks them rather than deciding for itself.

// TaskScope is what the object rules need to know about a task: its
// jurisdiction and the units that answer for it.
type TaskScope struct {
	Jurisdiction string
	LeadUnitID   int64
	CoUnitIDs    []int64
}

// Involves reports whether unit leads or cooperates on the task.
func (s TaskScope) Involves(unit int64) bool {
	return unit != 0 && (unit == s.LeadUnitID || slices.Contains(s.CoUnitIDs, unit))
}

func active(p Principal, jurisdiction string) bool {
	return !p.Anonymous && !p.User.Disabled && p.User.Jurisdiction == jurisdiction
}

func unitRole(p Principal) bool { return p.User.Role.NeedsUnit() && p.User.UnitID != 0 }

// CanManage reports whether p runs delivery in a jurisdiction: the office
// of that jurisdiction does everything there (task division, settings,
// review, extensions, notices).
func CanManage(p Principal, jurisdiction string) bool {
	return active(p, jurisdiction) && p.User.Role == org.RoleOffice
}

// CanReadReport reports whether p may read a report by reportUnit on a task.
// The office reads all reports of its jurisdiction; leaders and viewers
// read those past the draft stage; a unit's reporter and head read the
// reports of tasks their unit leads or cooperates on, drafts only their own
// unit's. Nobody reads another jurisdiction's reports, drafts least of all.
func CanReadReport(p Principal, s TaskScope, reportUnit int64, draft bool) bool {
	if !active(p, s.Jurisdiction) {
		return false
	}
	switch p.User.Role {
	case org.RoleOffice:
		return true
	case org.RoleLeader, org.RoleViewer:
		return !draft
	case org.RoleReporter, org.RoleUnitHead:
		return unitRole(p) && s.Involves(p.User.UnitID) && (!draft || reportUnit == p.User.UnitID)
	}
	return false
}

// CanListReports reports whether p may list a task's reports at all; each
// report is then filtered with CanReadReport.
func CanListReports(p Principal, s TaskScope) bool {
	if !active(p, s.Jurisdiction) {
		return false
	}
	if p.User.Role.NeedsUnit() {
		return unitRole(p) && s.Involves(p.User.UnitID)
	}
	return true
}

// CanWriteReport reports whether p may draft, edit or submit the report of
// reportUnit on a task: only a reporter or head of that very unit, and only
// when the unit leads or cooperates on the task.
func CanWriteReport(p Principal, s TaskScope, reportUnit int64) bool {
	return active(p, s.Jurisdiction) && unitRole(p) && p.User.UnitID == reportUnit && s.Involves(reportUnit)
}

// CanSignOff reports whether p may vouch for a report: the head of the unit
// that wrote it.
func CanSignOff(p Principal, s TaskScope, reportUnit int64) bool {
	return active(p, s.Jurisdiction) && p.User.Role == org.RoleUnitHead && p.User.UnitID == reportUnit && s.Involves(reportUnit)
}

// CanReview reports whether p may accept or return reports of the
// jurisdiction.
func CanReview(p Principal, jurisdiction string) bool { return CanManage(p, jurisdiction) }

// CanRequestExtension reports whether p may ask to move a task's deadline:
// a reporter or head of its lead unit.
func CanRequestExtension(p Principal, s TaskScope) bool {
	return active(p, s.Jurisdiction) && unitRole(p) && p.User.UnitID == s.LeadUnitID
}

// CanReadNotice reports whether p may read a notice addressed to unit (0: to
// the leaders) in a jurisdiction: the office and leaders read all of them,
// a unit reads its own.
func CanReadNotice(p Principal, jurisdiction string, unit int64) bool {
	if !active(p, jurisdiction) {
		return false
	}
	switch p.User.Role {
	case org.RoleOffice, org.RoleLeader:
		return true
	case org.RoleReporter, org.RoleUnitHead:
		return unitRole(p) && unit != 0 && p.User.UnitID == unit
	}
	return false
}

// CanRespondNotice reports whether p may acknowledge and answer a notice:
// a reporter or head of the unit it is addressed to.
func CanRespondNotice(p Principal, jurisdiction string, unit int64) bool {
	return active(p, jurisdiction) && unitRole(p) && unit != 0 && p.User.UnitID == unit
}

// CanReadDelivery reports whether p may read status and scores of a plan:
// anyone signed in for a published plan (the figures are published in
// bulletins anyway), only the jurisdiction's own users for a draft.
func CanReadDelivery(p Principal, jurisdiction string, published bool) bool {
	if p.Anonymous || p.User.Disabled {
		return false
	}
	return published || p.User.Jurisdiction == jurisdiction
}
