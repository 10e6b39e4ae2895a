package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/extract"
	"github.com/duban-org/duban/internal/fault"
	"github.com/duban-org/duban/internal/importer"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/seed"
	"github.com/duban-org/duban/internal/store"
)

// FirstAdmin is the user name of the office account a fresh database gets.
const FirstAdmin = "admin"

// Bootstrap prepares a database for its first use and is safe to run on
// every start: the seed jurisdictions, the seed plan when there is no plan
// at all, and the first office account when there is no account at all.
func Bootstrap(ctx context.Context, s *store.Store, cfg Config) error {
	if err := EnsureSeedJurisdictions(ctx, s); err != nil {
		return err
	}
	if err := importSeed(ctx, s, cfg); err != nil {
		return err
	}
	return createFirstAdmin(ctx, s, cfg)
}

// EnsureSeedJurisdictions creates the default jurisdiction (小店区) and its
// parents when they are missing.
func EnsureSeedJurisdictions(ctx context.Context, s *store.Store) error {
	err := s.Write(ctx, audit.System("duban"), func(tx *store.Tx) error {
		for _, j := range []org.Jurisdiction{
			{Code: seed.ProvinceCode, Name: seed.ProvinceName},
			{Code: seed.CityCode, Name: seed.CityName, Parent: seed.ProvinceCode},
			{Code: seed.JurisdictionCode, Name: seed.JurisdictionName, Parent: seed.CityCode},
		} {
			if err := tx.EnsureJurisdiction(ctx, j); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bootstrap jurisdictions: %w", err)
	}
	return nil
}

func importSeed(ctx context.Context, s *store.Store, cfg Config) error {
	plans, err := s.Plans(ctx, store.PlanFilter{})
	if err != nil {
		return err
	}
	if len(plans) > 0 || cfg.NoSeed {
		return nil
	}
	var res importer.Result
	err = s.Write(ctx, audit.System("duban seed"), func(tx *store.Tx) error {
		res, err = importer.Import(ctx, tx, importer.Request{
			Jurisdiction: seed.JurisdictionCode, Name: seed.PlanName, Data: seed.PlanText,
			Year: seed.PlanYear, Options: extract.Options{Units: cfg.Units},
		}, cfg.Now().Year())
		return err
	})
	if err != nil {
		return fmt.Errorf("import the seed plan: %w", err)
	}
	cfg.Log.Info("imported the seed plan", "plan", res.Plan.ID, "title", res.Plan.Title,
		"sections", len(res.Plan.Sections), "tasks", len(res.Plan.Tasks), "flags", len(res.Plan.Flags))
	// The seed was adopted and published by its People's Congress, so a fresh
	// server shows it as a working plan: the suggested units become the task
	// division (the office can change it) and the plan is published. Should
	// the division be incomplete, the plan stays a draft for the office.
	err = s.Write(ctx, audit.System("duban seed"), func(tx *store.Tx) error {
		yearEnd := time.Date(seed.PlanYear, 12, 31, 0, 0, 0, 0, time.UTC)
		if err := importer.AcceptSuggestions(ctx, tx, res.Plan.ID, cfg.Units, yearEnd); err != nil {
			return err
		}
		return tx.PublishPlan(ctx, res.Plan.ID)
	})
	if err != nil {
		cfg.Log.Warn("the seed plan stays a draft: its task division is incomplete", "plan", res.Plan.ID, "err", err)
		return nil
	}
	cfg.Log.Info("published the seed plan with the suggested task division", "plan", res.Plan.ID)
	return nil
}

func createFirstAdmin(ctx context.Context, s *store.Store, cfg Config) error {
	n, err := s.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	password, generated := cfg.AdminPassword, false
	if password == "" {
		if password, err = auth.RandomPassword(); err != nil {
			return err
		}
		generated = true
	} else if err := auth.CheckPasswordPolicy(FirstAdmin, password); err != nil {
		return fmt.Errorf("DUBAN_ADMIN_PASSWORD does not meet the password policy: %w", err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	err = s.Write(ctx, audit.System("duban"), func(tx *store.Tx) error {
		u, err := tx.CreateUser(ctx, org.User{
			Jurisdiction: seed.JurisdictionCode, Username: FirstAdmin, DisplayName: "督查室管理员",
			Role: org.RoleOffice, PasswordHash: hash,
		})
		if err != nil {
			return err
		}
		// A generated password has stood in the log: the first session must
		// replace it before it may do anything else.
		return tx.SetPasswordChanged(ctx, u.ID, generated)
	})
	if errors.Is(err, fault.ErrConflict) {
		return nil // another server created it first
	}
	if err != nil {
		return fmt.Errorf("create the first office account: %w", err)
	}
	if generated {
		// Printed once: the hash is all the database keeps.
		cfg.Log.Warn("created the first office account; this password is shown only once: sign in and change it",
			"username", FirstAdmin, "password", password)
	} else {
		cfg.Log.Info("created the first office account with the password from DUBAN_ADMIN_PASSWORD", "username", FirstAdmin)
	}
	return nil
}
