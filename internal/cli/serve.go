package cli

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/notify"
	"github.com/duban-org/duban/internal/server"
)

// Defaults that work with no configuration at all.
const (
	defaultAddr = "127.0.0.1:8080"
	defaultDB   = "duban.db"
)

// envOr returns the environment variable's value, or def when it is unset.
func envOr(e env, name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return def
}

func runServe(e env, args []string) int {
	fs := newFlags(e, "serve", "", "Run the duban web server. It migrates the database first; an empty database gets the\nembedded seed plan (小店区 2021) and a first office account whose password is logged once.")
	addr := fs.String("addr", envOr(e, "DUBAN_ADDR", defaultAddr), "listen address (env DUBAN_ADDR)")
	db := fs.String("db", envOr(e, "DUBAN_DB", defaultDB), "SQLite file or PostgreSQL DSN postgres://… (env DUBAN_DB)")
	dataDir := fs.String("data", envOr(e, "DUBAN_DATA", "duban-data"), "folder for uploaded attachments (env DUBAN_DATA)")
	noSeed := fs.Bool("no-seed", false, "do not import the seed plan into an empty database")
	unitsFile := fs.String("units", envOr(e, "DUBAN_UNITS", ""), "keyword → unit table (JSON) for imports (env DUBAN_UNITS)")
	secureCookies := fs.Bool("secure-cookies", e.getenv("DUBAN_SECURE_COOKIES") == "true" || e.getenv("DUBAN_SECURE_COOKIES") == "1",
		"mark session cookies Secure even on plain HTTP, for a server behind a TLS proxy (env DUBAN_SECURE_COOKIES=true)")
	oidcIssuer := fs.String("oidc-issuer", envOr(e, "DUBAN_OIDC_ISSUER", ""), "OpenID Connect issuer URL for single sign-on; empty: passwords only (env DUBAN_OIDC_ISSUER)")
	oidcClient := fs.String("oidc-client-id", envOr(e, "DUBAN_OIDC_CLIENT_ID", ""), "OpenID Connect client id (env DUBAN_OIDC_CLIENT_ID; the secret only from env DUBAN_OIDC_CLIENT_SECRET)")
	oidcRedirect := fs.String("oidc-redirect-url", envOr(e, "DUBAN_OIDC_REDIRECT_URL", ""), "this server's callback, https://HOST/api/v1/session/oidc/callback (env DUBAN_OIDC_REDIRECT_URL)")
	oidcClaim := fs.String("oidc-username-claim", envOr(e, "DUBAN_OIDC_USERNAME_CLAIM", "preferred_username"), "ID-token claim holding the duban user name")
	proxies := fs.String("trusted-proxies", envOr(e, "DUBAN_TRUSTED_PROXIES", ""), "comma-separated addresses or prefixes of reverse proxies whose X-Forwarded-For is believed (env DUBAN_TRUSTED_PROXIES)")
	smtpAddr := fs.String("smtp", envOr(e, "DUBAN_SMTP_ADDR", ""), "SMTP server host:port for e-mail notices; empty: inbox and webhooks only (env DUBAN_SMTP_ADDR)")
	smtpFrom := fs.String("smtp-from", envOr(e, "DUBAN_SMTP_FROM", ""), "sender address of e-mail notices (env DUBAN_SMTP_FROM)")
	smtpUser := fs.String("smtp-user", envOr(e, "DUBAN_SMTP_USER", ""), "SMTP user name; the password comes from DUBAN_SMTP_PASSWORD only (env DUBAN_SMTP_USER)")
	logJSON := fs.Bool("log-json", e.getenv("DUBAN_LOG_FORMAT") == "json", "log as JSON lines (env DUBAN_LOG_FORMAT=json)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	opt, err := extractOptions(*unitsFile)
	if err != nil {
		return fail(e, err)
	}
	trusted, err := server.ParseProxies(*proxies)
	if err != nil {
		return fail(e, err)
	}
	var smtp *notify.Email
	if *smtpAddr != "" {
		if *smtpFrom == "" {
			return fail(e, errors.New("--smtp needs --smtp-from (or DUBAN_SMTP_FROM): the sender address of notices"))
		}
		smtp = &notify.Email{Addr: *smtpAddr, From: *smtpFrom, Username: *smtpUser, Password: e.getenv("DUBAN_SMTP_PASSWORD")}
	}
	var handler slog.Handler = slog.NewTextHandler(e.stderr, nil)
	if *logJSON {
		handler = slog.NewJSONHandler(e.stderr, nil)
	}
	log := slog.New(handler)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = server.Run(ctx, server.Config{
		Addr:           *addr,
		DB:             *db,
		DataDir:        *dataDir,
		AdminPassword:  e.getenv("DUBAN_ADMIN_PASSWORD"),
		NoSeed:         *noSeed,
		Log:            log,
		Units:          opt.Units,
		SMTP:           smtp,
		Sessions:       auth.SessionPolicy{SecureCookies: *secureCookies},
		TrustedProxies: trusted,
		OIDC: auth.OIDCConfig{Issuer: *oidcIssuer, ClientID: *oidcClient, ClientSecret: e.getenv("DUBAN_OIDC_CLIENT_SECRET"),
			RedirectURL: *oidcRedirect, UsernameClaim: *oidcClaim},
	})
	if err != nil {
		return fail(e, err)
	}
	return exitOK
}
