// Package org models who owns and answers for a plan: jurisdictions
// (行政区划), the units (单位) that lead and cooperate on tasks, and the users
// who act for them, with their roles.
package org

import (
	"regexp"
	"strings"
	"time"

	"github.com/duban-org/duban/internal/fault"
)

// Jurisdiction is an administrative division identified by its GB/T 2260
// code. Parent links a district to its city and a city to its province, so
// one deployment can serve and roll up several levels.
type Jurisdiction struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
}

var codePattern = regexp.MustCompile(`^[1-9][0-9]{5}$`)

// Validate checks the code's form and the name.
func (j Jurisdiction) Validate() error {
	var v fault.Validation
	if !codePattern.MatchString(j.Code) {
		v.Add("code", "jurisdiction.code", "a jurisdiction code is six digits (GB/T 2260), e.g. 140105")
	}
	if strings.TrimSpace(j.Name) == "" {
		v.Add("name", "required", "a jurisdiction needs a name")
	}
	if j.Parent != "" && (!codePattern.MatchString(j.Parent) || j.Parent == j.Code) {
		v.Add("parent", "jurisdiction.parent", "the parent must be another six-digit code")
	}
	return v.Err()
}

// Unit is a government body that can lead or cooperate on tasks.
type Unit struct {
	ID           int64    `json:"id"`
	Jurisdiction string   `json:"jurisdiction"`
	Name         string   `json:"name"`       // full name, 太原市小店区人力资源和社会保障局
	ShortName    string   `json:"short_name"` // 区人社局
	Aliases      []string `json:"aliases"`
}

// Validate checks that the unit can be told apart from others.
func (u Unit) Validate() error {
	var v fault.Validation
	if strings.TrimSpace(u.Name) == "" {
		v.Add("name", "required", "a unit needs its full name")
	}
	if !codePattern.MatchString(u.Jurisdiction) {
		v.Add("jurisdiction", "jurisdiction.code", "a unit belongs to a jurisdiction (six-digit code)")
	}
	return v.Err()
}

// Role is what a user may do; the authorization policy is written in roles.
type Role string

// The roles of a deployment.
const (
	RoleOffice   Role = "office"    // 督查室: runs the plan in its jurisdiction
	RoleReporter Role = "reporter"  // a unit's reporting officer
	RoleUnitHead Role = "unit_head" // signs off the unit's reports
	RoleLeader   Role = "leader"    // reads everything in the jurisdiction
	RoleViewer   Role = "viewer"    // reads published material
)

// Roles lists every role, for matrices and forms.
var Roles = []Role{RoleOffice, RoleReporter, RoleUnitHead, RoleLeader, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// NeedsUnit reports whether users of this role act for one unit.
func (r Role) NeedsUnit() bool { return r == RoleReporter || r == RoleUnitHead }

// User is a person with an account.
type User struct {
	ID           int64     `json:"id"`
	Jurisdiction string    `json:"jurisdiction"`
	Username     string    `json:"username"`
	DisplayName  string    `json:"display_name"`
	Role         Role      `json:"role"`
	UnitID       int64     `json:"unit_id,omitempty"`
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
}

var usernamePattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._@-]{1,63}$`)

// Validate checks the account's fields and that unit roles name a unit.
func (u User) Validate() error {
	var v fault.Validation
	if !usernamePattern.MatchString(u.Username) {
		v.Add("username", "user.username", "a user name is 2–64 letters, digits, '.', '_', '@' or '-'")
	}
	if !u.Role.Valid() {
		v.Add("role", "user.role", "the role must be one of office, reporter, unit_head, leader, viewer")
	}
	if u.Role.NeedsUnit() && u.UnitID == 0 {
		v.Add("unit_id", "user.unit", "a reporter or unit head acts for a unit: name it")
	}
	if !u.Role.NeedsUnit() && u.UnitID != 0 {
		v.Add("unit_id", "user.unit", "only reporters and unit heads belong to a unit")
	}
	if !codePattern.MatchString(u.Jurisdiction) {
		v.Add("jurisdiction", "jurisdiction.code", "a user belongs to a jurisdiction (six-digit code)")
	}
	return v.Err()
}
