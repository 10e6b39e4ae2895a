package auth

import (
	"context"

	"github.com/duban-org/duban/internal/org"
)

// Principal is who is making a request: a signed-in user, or the public.
type Principal struct {
	User      org.User
	Anonymous bool
}

// Public is the principal of a request with no session.
var Public = Principal{Anonymous: true}

type principalKey struct{}

// WithPrincipal stores p in ctx.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the request's principal; Public when none was set.
func PrincipalFrom(ctx context.Context) Principal {
	if p, ok := ctx.Value(principalKey{}).(Principal); ok {
		return p
	}
	return Public
}

// Action is something a route does. Every route names exactly one action and
// the policy below says which roles may take it; object-level rules (which
// jurisdiction, which unit) are the Can* functions beside it.
type Action string

// Actions.
const (
	ActionMetaRead Action = "meta.read" // health, readiness, OpenAPI

	ActionSessionCreate Action = "session.create" // sign in
	ActionSessionRead   Action = "session.read"   // who am I
	ActionSessionDelete Action = "session.delete" // sign out
	ActionPasswordSelf  Action = "password.self"  // change one's own password

	ActionPlanList    Action = "plan.list"    // list plans (the public sees published ones)
	ActionPlanRead    Action = "plan.read"    // read a plan (drafts only inside the jurisdiction)
	ActionPlanImport  Action = "plan.import"  // upload a document as a draft plan
	ActionPlanEdit    Action = "plan.edit"    // task division: units, leader, deadline, milestones, indicators
	ActionPlanPublish Action = "plan.publish" // publish a plan and start delivery
	ActionPlanConfig  Action = "plan.config"  // reporting cycles, status and scoring rules

	ActionUnitList   Action = "unit.list"   // list units
	ActionUnitManage Action = "unit.manage" // create and edit units
	ActionUserList   Action = "user.list"   // list accounts
	ActionUserManage Action = "user.manage" // create, disable, reset accounts

	ActionStatusRead Action = "status.read" // status, traffic lights, roll-ups
	ActionScoreRead  Action = "score.read"  // unit scores and ranking

	ActionReportRead    Action = "report.read"    // read reports (a unit: its own tasks')
	ActionReportWrite   Action = "report.write"   // draft, submit, resubmit a report (own unit's tasks)
	ActionReportSignOff Action = "report.signoff" // a unit head vouches for the unit's report
	ActionReportReview  Action = "report.review"  // accept or return a report

	ActionAttachmentUpload Action = "attachment.upload" // attach a file to a report
	ActionAttachmentRead   Action = "attachment.read"   // download an attachment

	ActionExtensionRequest Action = "extension.request" // ask for a later deadline
	ActionExtensionDecide  Action = "extension.decide"  // grant or refuse an extension

	ActionNoticeRead    Action = "notice.read"    // read reminders and supervision notices
	ActionNoticeRespond Action = "notice.respond" // acknowledge and respond to a notice
	ActionNoticeIssue   Action = "notice.issue"   // issue a supervision notice by hand

	ActionAuditRead Action = "audit.read" // browse, export and verify the audit log
)

// Audience is who an action is open to, by role; "public" covers requests
// without a session.
type audience struct {
	public bool
	roles  []org.Role
}

var everyone = audience{public: true, roles: org.Roles}
var signedIn = audience{roles: org.Roles}

func only(roles ...org.Role) audience { return audience{roles: roles} }

const (
	office   = org.RoleOffice
	reporter = org.RoleReporter
	unitHead = org.RoleUnitHead
	leader   = org.RoleLeader
)

// policy is the whole role table. A route whose action is missing here is
// denied to everyone, and the route × role test fails. Which plan, report or
// unit a role may touch is decided by the object rules below.
var policy = map[Action]audience{
	ActionMetaRead: everyone,

	ActionSessionCreate: everyone,
	ActionSessionRead:   signedIn,
	ActionSessionDelete: signedIn,
	ActionPasswordSelf:  signedIn,

	ActionPlanList:    everyone,
	ActionPlanRead:    everyone,
	ActionPlanImport:  only(office),
	ActionPlanEdit:    only(office),
	ActionPlanPublish: only(office),
	ActionPlanConfig:  only(office),

	ActionUnitList:   signedIn,
	ActionUnitManage: only(office),
	ActionUserList:   only(office),
	ActionUserManage: only(office),

	ActionStatusRead: signedIn,
	ActionScoreRead:  signedIn,

	// Which reports (a viewer: none in draft) is auth.CanReadReport's call.
	ActionReportRead:    signedIn,
	ActionReportWrite:   only(reporter, unitHead),
	ActionReportSignOff: only(unitHead),
	ActionReportReview:  only(office),

	ActionAttachmentUpload: only(reporter, unitHead),
	ActionAttachmentRead:   only(office, reporter, unitHead, leader),

	ActionExtensionRequest: only(reporter, unitHead),
	ActionExtensionDecide:  only(office),

	ActionNoticeRead:    only(office, reporter, unitHead, leader),
	ActionNoticeRespond: only(reporter, unitHead),
	ActionNoticeIssue:   only(office),

	ActionAuditRead: only(office),
}

// Known reports whether the policy has a rule for a.
func Known(a Action) bool { _, ok := policy[a]; return ok }

// Allowed reports whether p may take action a at all (before object rules).
func Allowed(p Principal, a Action) bool {
	aud, ok := policy[a]
	if !ok {
		return false
	}
	if p.Anonymous {
		return aud.public
	}
	if p.User.Disabled {
		return false
	}
	for _, r := range aud.roles {
		if r == p.User.Role {
			return true
		}
	}
	return false
}

// CanSeeDrafts reports whether p may read unpublished material of a
// jurisdiction: only its own signed-in staff (never the public, never
// another jurisdiction, and not a viewer, whose role is to read what has
// been published).
func CanSeeDrafts(p Principal, jurisdiction string) bool {
	return !p.Anonymous && !p.User.Disabled && p.User.Role != org.RoleViewer && p.User.Role.Valid() &&
		p.User.Jurisdiction == jurisdiction
}
