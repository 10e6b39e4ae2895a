// Package drill exercises a real duban server from the outside, the way its
// users do: it prepares a database with reporting units' accounts, starts
// the duban binary as a separate process on loopback, signs in over HTTP and
// submits progress reports through the JSON API. The crash test (kill -9
// during submissions) and the load test under bench/ are built on it, so
// both measure the program that ships rather than a test double of it.
//
// It only ever talks to loopback addresses: a drill is a test, and must not
// be pointed at a server people use.
package drill

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/duban-org/duban/internal/audit"
	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/org"
	"github.com/duban-org/duban/internal/plan"
	"github.com/duban-org/duban/internal/server"
	"github.com/duban-org/duban/internal/store"
)

// Account is a user name and password to sign in with.
type Account struct {
	Username string
	Password string
}

// Reporter is a reporting officer's account and the tasks its unit leads.
type Reporter struct {
	Account
	UnitID int64
	Tasks  []int64
}

// Fixture is what Prepare made.
type Fixture struct {
	PlanID    int64
	Tasks     []int64 // every task of the plan
	Office    Account
	Reporters []Reporter
}

// Prepare makes the SQLite database at dbPath ready for a drill: the seed
// plan imported and published with its suggested task division (as a fresh
// `duban serve` does), the first office account with password, and one
// reporter account (same password) for each of up to reporters units that
// lead tasks, most tasks first.
func Prepare(ctx context.Context, dbPath string, reporters int, password string) (Fixture, error) {
	s, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		return Fixture{}, err
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		return Fixture{}, err
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := server.Bootstrap(ctx, s, server.Config{Log: quiet, Now: time.Now, AdminPassword: password}); err != nil {
		return Fixture{}, err
	}
	plans, err := s.Plans(ctx, store.PlanFilter{Status: plan.StatusPublished})
	if err != nil {
		return Fixture{}, err
	}
	if len(plans) == 0 {
		return Fixture{}, errors.New("drill: the seed plan was not published")
	}
	pl, err := s.Plan(ctx, plans[0].ID)
	if err != nil {
		return Fixture{}, err
	}
	fx := Fixture{PlanID: pl.ID, Office: Account{server.FirstAdmin, password}}
	byUnit := map[int64][]int64{}
	var units []int64
	for _, t := range pl.Tasks {
		fx.Tasks = append(fx.Tasks, t.ID)
		if t.LeadUnitID == 0 {
			continue
		}
		if byUnit[t.LeadUnitID] == nil {
			units = append(units, t.LeadUnitID)
		}
		byUnit[t.LeadUnitID] = append(byUnit[t.LeadUnitID], t.ID)
	}
	// Units with the most tasks first: they give a drill the most distinct
	// reports to write.
	for i := 1; i < len(units); i++ {
		for j := i; j > 0 && len(byUnit[units[j]]) > len(byUnit[units[j-1]]); j-- {
			units[j], units[j-1] = units[j-1], units[j]
		}
	}
	if len(units) > reporters {
		units = units[:reporters]
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return Fixture{}, err
	}
	err = s.Write(ctx, audit.System("duban drill"), func(tx *store.Tx) error {
		for i, u := range units {
			name := fmt.Sprintf("reporter%02d", i+1)
			if _, err := tx.CreateUser(ctx, org.User{Jurisdiction: pl.Jurisdiction, Username: name, DisplayName: "填报员" + name,
				Role: org.RoleReporter, UnitID: u, PasswordHash: hash}); err != nil {
				return err
			}
			fx.Reporters = append(fx.Reporters, Reporter{Account: Account{name, password}, UnitID: u, Tasks: byUnit[u]})
		}
		return nil
	})
	return fx, err
}

// Build compiles the duban command into dir and returns its path. It runs
// `go build` in the module that holds this package.
func Build(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("drill: go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(dir, "duban")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/duban")
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("drill: go build: %w\n%s", err, msg)
	}
	return bin, nil
}

// Server is a duban process started by Start.
type Server struct {
	URL  string // http://127.0.0.1:port
	cmd  *exec.Cmd
	done chan struct{}
	mu   sync.Mutex
	log  bytes.Buffer // the server's log, for a failing test to show
	err  error        // how the process ended
}

var listening = regexp.MustCompile(`msg="duban listening" addr=(http://\S+)`)

// Start runs `bin serve` on dbPath with attachments in dataDir, on a free
// loopback port, and returns once it listens. extra adds flags.
func Start(ctx context.Context, bin, dbPath, dataDir string, extra ...string) (*Server, error) {
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath, "--data", dataDir, "--no-seed"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "DUBAN_LOG_FORMAT=text")
	// A pipe of our own rather than StderrPipe: Wait would close that one
	// under the reader, and a killed server's last lines are the ones a
	// failing test needs.
	stderr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = pw
	err = cmd.Start()
	pw.Close()
	if err != nil {
		stderr.Close()
		return nil, fmt.Errorf("drill: start %s: %w", bin, err)
	}
	s := &Server{cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
			// Request lines are many under load; keep the rest.
			if !strings.Contains(line, `msg=request`) {
				s.mu.Lock()
				s.log.WriteString(line + "\n")
				s.mu.Unlock()
			}
		}
		io.Copy(io.Discard, stderr)
		stderr.Close()
	}()
	go func() {
		err := cmd.Wait()
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		close(s.done)
	}()
	select {
	case s.URL = <-addr:
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("drill: duban serve exited before listening: %v\n%s", s.err, s.Log())
	case <-time.After(60 * time.Second):
		s.Kill()
		return nil, fmt.Errorf("drill: duban serve did not listen within 60 s\n%s", s.Log())
	case <-ctx.Done():
		s.Kill()
		return nil, ctx.Err()
	}
}

// Log is what the server has logged, request lines left out.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// Kill ends the server with SIGKILL, as a power cut or the OOM killer
// would: no shutdown code runs. It returns once the process is gone.
func (s *Server) Kill() error {
	err := s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
	return err
}

// Stop asks the server to shut down (SIGTERM) and waits for it.
func (s *Server) Stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.Kill()
		return errors.New("drill: duban serve did not stop within 30 s of SIGTERM")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// CheckLoopback refuses any base URL whose host is not a loopback address.
func CheckLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("drill: target %q: %w", base, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("drill: target %q: not an http URL", base)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() || host == "localhost" {
		return nil
	}
	return fmt.Errorf("drill: target %q is not a loopback address; drills only run against a server on this machine", base)
}

// NewTransport is an HTTP transport for many clients of one server.
func NewTransport(conns int) *http.Transport {
	return &http.Transport{
		Proxy:               nil, // never through a proxy: loopback only
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}
}

// Client is one signed-in user.
type Client struct {
	base   string
	http   *http.Client
	cookie string
	csrf   string
	User   org.User
}

// APIError is a non-2xx answer.
type APIError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, strings.TrimSpace(e.Body))
}

// SignIn signs acc in at base (which must be loopback) through
// POST /api/v1/session.
func SignIn(ctx context.Context, hc *http.Client, base string, acc Account) (*Client, error) {
	if err := CheckLoopback(base); err != nil {
		return nil, err
	}
	c := &Client{base: strings.TrimSuffix(base, "/"), http: hc}
	var ans struct {
		User      org.User `json:"user"`
		CSRFToken string   `json:"csrf_token"`
	}
	res, err := c.do(ctx, "POST", "/api/v1/session", map[string]string{"username": acc.Username, "password": acc.Password}, &ans)
	if err != nil {
		return nil, err
	}
	for _, ck := range res.Cookies() {
		if ck.Name == auth.CookieName {
			c.cookie = ck.Value
		}
	}
	if c.cookie == "" || ans.CSRFToken == "" {
		return nil, fmt.Errorf("drill: sign-in of %s gave no session cookie or CSRF token", acc.Username)
	}
	c.csrf, c.User = ans.CSRFToken, ans.User
	return c, nil
}

// Do sends a request with a JSON body (nil for none) and decodes a 2xx
// answer into out (nil to discard). Any other status is an *APIError.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	_, err := c.do(ctx, method, path, body, out)
	return err
}

func (c *Client) do(ctx context.Context, method, path string, body, out any) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: c.cookie})
	}
	if c.csrf != "" && method != "GET" {
		req.Header.Set(auth.CSRFHeader, c.csrf)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return res, fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res, &APIError{method, path, res.StatusCode, string(data)}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return res, fmt.Errorf("%s %s: answer: %w", method, path, err)
		}
	}
	return res, nil
}

// Upload sends a file as a report attachment (multipart field "file",
// POST /api/v1/reports/{id}/attachments) and decodes a 2xx answer into out.
func (c *Client) Upload(ctx context.Context, report int64, name string, content io.Reader, out any) error {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, err := mw.CreateFormFile("file", name)
		if err == nil {
			_, err = io.Copy(part, content)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	path := fmt.Sprintf("/api/v1/reports/%d/attachments", report)
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+path, pr)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: c.cookie})
	req.Header.Set(auth.CSRFHeader, c.csrf)
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return &APIError{"POST", path, res.StatusCode, string(data)}
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// Report is the part of a report a drill checks.
type Report struct {
	ID        int64  `json:"id"`
	TaskID    int64  `json:"task_id"`
	UnitID    int64  `json:"unit_id"`
	Period    string `json:"period"`
	Narrative string `json:"narrative"`
	State     string `json:"state"`
}

// Submit writes a report on task for period and submits it: a draft
// (POST /api/v1/tasks/{id}/reports), then POST /api/v1/reports/{id}/submit.
// draft is set once the draft is acknowledged, even if the submission then
// fails.
func (c *Client) Submit(ctx context.Context, task int64, period, narrative string) (draft, submitted Report, err error) {
	body := map[string]any{"period": period, "narrative": narrative, "assessment": "on_track"}
	if err := c.Do(ctx, "POST", fmt.Sprintf("/api/v1/tasks/%d/reports", task), body, &draft); err != nil {
		return Report{}, Report{}, err
	}
	err = c.Do(ctx, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", draft.ID), nil, &submitted)
	return draft, submitted, err
}

// Periods lists distinct reporting periods of year: its twelve months and
// four quarters.
func Periods(year int) []string {
	var out []string
	for m := 1; m <= 12; m++ {
		out = append(out, fmt.Sprintf("%04d-%02d", year, m))
	}
	for q := 1; q <= 4; q++ {
		out = append(out, fmt.Sprintf("%04d-Q%d", year, q))
	}
	return out
}
