package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/duban-org/duban/internal/org"
)

// EnsureJurisdiction creates j if it does not exist; it changes nothing
// otherwise, so the seed import can run on every start.
func (tx *Tx) EnsureJurisdiction(ctx context.Context, j org.Jurisdiction) error {
	if err := j.Validate(); err != nil {
		return err
	}
	if _, err := tx.Jurisdiction(ctx, j.Code); err == nil {
		return nil
	}
	var parent any
	if j.Parent != "" {
		parent = j.Parent
	}
	if _, err := tx.exec(ctx, `INSERT INTO jurisdictions (code, name, parent_code) VALUES (?, ?, ?)`, j.Code, j.Name, parent); err != nil {
		return fmt.Errorf("store: create jurisdiction %s: %w", j.Code, err)
	}
	return tx.Record(ctx, "jurisdiction.create", "jurisdiction", j.Code, nil, j)
}

// Jurisdiction returns one jurisdiction by code.
func (r reader) Jurisdiction(ctx context.Context, code string) (org.Jurisdiction, error) {
	var j org.Jurisdiction
	var parent sql.NullString
	err := r.queryRow(ctx, `SELECT code, name, parent_code FROM jurisdictions WHERE code = ?`, code).Scan(&j.Code, &j.Name, &parent)
	if err != nil {
		return j, notFound(err, "jurisdiction", code)
	}
	j.Parent = parent.String
	return j, nil
}

// Jurisdictions lists all jurisdictions by code.
func (r reader) Jurisdictions(ctx context.Context) ([]org.Jurisdiction, error) {
	rows, err := r.query(ctx, `SELECT code, name, parent_code FROM jurisdictions ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("store: jurisdictions: %w", err)
	}
	defer rows.Close()
	var out []org.Jurisdiction
	for rows.Next() {
		var j org.Jurisdiction
		var parent sql.NullString
		if err := rows.Scan(&j.Code, &j.Name, &parent); err != nil {
			return nil, fmt.Errorf("store: jurisdictions: %w", err)
		}
		j.Parent = parent.String
		out = append(out, j)
	}
	return out, rows.Err()
}

// CreateUnit stores a new unit and returns it with its id.
func (tx *Tx) CreateUnit(ctx context.Context, u org.Unit) (org.Unit, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	if u.Aliases == nil {
		u.Aliases = []string{}
	}
	aliases, _ := json.Marshal(u.Aliases)
	id, err := tx.insert(ctx, `INSERT INTO units (jurisdiction, name, short_name, aliases) VALUES (?, ?, ?, ?)`,
		u.Jurisdiction, u.Name, u.ShortName, string(aliases))
	if err != nil {
		return u, fmt.Errorf("store: create unit %q: %w", u.Name, conflict(err))
	}
	u.ID = id
	return u, tx.Record(ctx, "unit.create", "unit", id, nil, u)
}

const unitColumns = `id, jurisdiction, name, short_name, aliases`

func scanUnit(sc interface{ Scan(...any) error }) (org.Unit, error) {
	var u org.Unit
	var aliases string
	if err := sc.Scan(&u.ID, &u.Jurisdiction, &u.Name, &u.ShortName, &aliases); err != nil {
		return u, err
	}
	if err := json.Unmarshal([]byte(aliases), &u.Aliases); err != nil {
		return u, fmt.Errorf("unit %d aliases: %w", u.ID, err)
	}
	return u, nil
}

// Unit returns one unit by id.
func (r reader) Unit(ctx context.Context, id int64) (org.Unit, error) {
	u, err := scanUnit(r.queryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE id = ?`, id))
	if err != nil {
		return u, notFound(err, "unit", id)
	}
	return u, nil
}

// Units lists a jurisdiction's units by name.
func (r reader) Units(ctx context.Context, jurisdiction string) ([]org.Unit, error) {
	rows, err := r.query(ctx, `SELECT `+unitColumns+` FROM units WHERE jurisdiction = ? ORDER BY id`, jurisdiction)
	if err != nil {
		return nil, fmt.Errorf("store: units of %s: %w", jurisdiction, err)
	}
	defer rows.Close()
	out := []org.Unit{}
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("store: units of %s: %w", jurisdiction, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

const userColumns = `id, jurisdiction, username, display_name, role, unit_id, password_hash, disabled, created_at`

func scanUser(sc interface{ Scan(...any) error }) (org.User, error) {
	var u org.User
	var unit sql.NullInt64
	err := sc.Scan(&u.ID, &u.Jurisdiction, &u.Username, &u.DisplayName, &u.Role, &unit, &u.PasswordHash, &u.Disabled, &u.CreatedAt)
	u.UnitID = unit.Int64
	return u, err
}

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateUser stores a new account. The password hash is made by the caller
// (package auth) and never enters the audit log.
func (tx *Tx) CreateUser(ctx context.Context, u org.User) (org.User, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	u.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO users (jurisdiction, username, display_name, role, unit_id, password_hash, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Jurisdiction, u.Username, u.DisplayName, string(u.Role), nullID(u.UnitID), u.PasswordHash, u.Disabled, u.CreatedAt)
	if err != nil {
		return u, fmt.Errorf("store: create user %q: %w", u.Username, conflict(err))
	}
	u.ID = id
	return u, tx.Record(ctx, "user.create", "user", id, nil, u)
}

// UpdateUser saves an account's changed fields (name, role, unit, password
// hash, disabled).
func (tx *Tx) UpdateUser(ctx context.Context, u org.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	before, err := tx.User(ctx, u.ID)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE users SET display_name = ?, role = ?, unit_id = ?, password_hash = ?, disabled = ? WHERE id = ?`,
		u.DisplayName, string(u.Role), nullID(u.UnitID), u.PasswordHash, u.Disabled, u.ID); err != nil {
		return fmt.Errorf("store: update user %d: %w", u.ID, err)
	}
	action := "user.update"
	if before.PasswordHash != u.PasswordHash {
		action = "user.password"
	}
	return tx.Record(ctx, action, "user", u.ID, before, u)
}

// User returns one account by id.
func (r reader) User(ctx context.Context, id int64) (org.User, error) {
	u, err := scanUser(r.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if err != nil {
		return u, notFound(err, "user", id)
	}
	return u, nil
}

// UserByName returns one account by user name.
func (r reader) UserByName(ctx context.Context, username string) (org.User, error) {
	u, err := scanUser(r.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE username = ?`, username))
	if err != nil {
		return u, notFound(err, "user", username)
	}
	return u, nil
}

// Users lists a jurisdiction's accounts.
func (r reader) Users(ctx context.Context, jurisdiction string) ([]org.User, error) {
	rows, err := r.query(ctx, `SELECT `+userColumns+` FROM users WHERE jurisdiction = ? ORDER BY id`, jurisdiction)
	if err != nil {
		return nil, fmt.Errorf("store: users of %s: %w", jurisdiction, err)
	}
	defer rows.Close()
	out := []org.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users of %s: %w", jurisdiction, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers counts all accounts; serve uses it to know a first start.
func (r reader) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}
