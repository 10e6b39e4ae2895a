// Package server runs duban over HTTP: it opens and migrates the store,
// prepares a fresh database (the seed plan, the first office account), mounts
// the route tables behind the common middleware, and shuts down gracefully.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"time"

	"github.com/duban-org/duban/internal/api"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/extract"
	"github.com/duban-org/duban/internal/notify"
	"github.com/duban-org/duban/internal/schedule"
	"github.com/duban-org/duban/internal/store"
	"github.com/duban-org/duban/internal/upload"
)

// Config is everything a server needs; the CLI fills it from flags and the
// environment. No package-level state: tests run servers side by side.
type Config struct {
	Addr          string // listen address, e.g. 127.0.0.1:8080
	DB            string // SQLite file path or PostgreSQL DSN
	DataDir       string // folder for uploaded files (report attachments), outside any served folder
	AdminPassword string // first office account's password; empty: generate and log once
	NoSeed        bool   // do not import the embedded seed plan into an empty database
	Log           *slog.Logger
	Now           func() time.Time
	Units         *extract.UnitTable
	// Sessions sets session lifetimes, the sign-in lockout and whether
	// cookies are always Secure; zero fields take auth's defaults.
	Sessions auth.SessionPolicy
	// OIDC, when its Issuer is set, adds single sign-on: Run reads the
	// provider's discovery document at start (and fails if it cannot).
	OIDC auth.OIDCConfig
	// SSO is the discovered provider; Run sets it from OIDC, tests may set
	// it directly.
	SSO *auth.OIDC
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client (for the audit log and the sign-in rate limit).
	TrustedProxies []netip.Prefix
	// Ready, when set, receives the bound address once the server listens
	// (tests listen on :0).
	Ready func(addr string)
	// SMTP sends notices by e-mail; nil: inbox and webhooks only.
	SMTP *notify.Email

	attachments *upload.Store // report attachments under DataDir, set by Run
}

// Run serves until ctx is cancelled, then drains requests for up to 15 s.
func Run(ctx context.Context, cfg Config) error {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s, err := store.Open(ctx, cfg.DB, store.Options{Now: cfg.Now})
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	if err := Bootstrap(ctx, s, cfg); err != nil {
		return err
	}
	if cfg.OIDC.Issuer != "" && cfg.SSO == nil {
		if cfg.SSO, err = auth.NewOIDC(ctx, cfg.OIDC); err != nil {
			return err
		}
	}
	if cfg.DataDir != "" {
		if cfg.attachments, err = upload.NewStore(filepath.Join(cfg.DataDir, "attachments"), 20<<20); err != nil {
			return err
		}
	}
	// The scheduler judges published plans and sends notices until the
	// server stops; it is stopped before the store closes.
	stopScheduler := startScheduler(ctx, cfg, s)
	defer stopScheduler()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           Handler(cfg, s),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second, // uploads of a few MB on a slow intranet
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(cfg.Log.Handler(), slog.LevelWarn),
	}
	cfg.Log.Info("duban listening", "addr", "http://"+ln.Addr().String(), "db", describeDB(cfg.DB))
	if cfg.Ready != nil {
		cfg.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	cfg.Log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	cfg.Log.Info("stopped")
	return nil
}

// startScheduler runs the delivery scheduler with the configured channels
// and returns a function that stops it and waits for it.
func startScheduler(ctx context.Context, cfg Config, s *store.Store) (stop func()) {
	channels := []notify.Channel{notify.Inbox{Store: s}, notify.Webhook{}}
	if cfg.SMTP != nil {
		channels = append(channels, *cfg.SMTP)
	}
	sched := &schedule.Scheduler{Store: s, Clock: cfg.Now, Log: cfg.Log, Email: cfg.SMTP != nil,
		Dispatcher: &notify.Dispatcher{Store: s, Now: cfg.Now, Log: cfg.Log, Channels: channels}}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sched.Run(runCtx)
	}()
	return func() {
		cancel()
		<-done
	}
}

func describeDB(dsn string) string {
	if store.IsPostgres(dsn) {
		return "postgresql"
	}
	return dsn
}

// Handler is the whole HTTP surface: the API's route table behind the common
// middleware. From the outside in: recover panics, security headers, the
// client's address behind trusted proxies, request log, cross-origin
// refusal, body limits, the session cookie → principal, the per-session
// CSRF token, the must-change-password gate; the route table then asks the
// policy.
func Handler(cfg Config, s *store.Store) http.Handler {
	mux := http.NewServeMux()
	accounts := auth.NewAccounts(s, cfg.Sessions)
	a := api.New(api.Config{Store: s, Log: cfg.Log, Now: cfg.Now, Units: cfg.Units, Accounts: accounts, OIDC: cfg.SSO, Attachments: cfg.attachments})
	a.Register(mux)
	var h http.Handler = mux
	h = passwordGate(h)
	h = csrfTokens(h)
	h = sessions(accounts, cfg.Log, cfg.Sessions.SecureCookies, h)
	h = limitBodies(h)
	h = crossOrigin(h)
	return recoverPanics(cfg.Log, securityHeaders(clientAddress(cfg.TrustedProxies, logRequests(cfg.Log, h))))
}
