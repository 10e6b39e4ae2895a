package notify_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/notify"
)

// smtpdPath is OpenSMTPD from Debian's opensmtpd package.
const smtpdPath = "/usr/sbin/smtpd"

// startSMTPD runs a real OpenSMTPD on a free loopback port that delivers
// every message to a Maildir in a temporary folder, and returns its address
// and the Maildir. OpenSMTPD must start as root (it drops privileges
// itself); without it, or without root, the test is skipped — except
// under CI=true, where a missing mail server is a failure.
func startSMTPD(t *testing.T) (addr, maildir string) {
	t.Helper()
	skip := func(why string) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s; CI installs Debian's opensmtpd and runs as root", why)
		}
		t.Skipf("%s (install Debian's opensmtpd and run as root to test e-mail against a real SMTP server)", why)
	}
	if _, err := os.Stat(smtpdPath); err != nil {
		skip("no OpenSMTPD at " + smtpdPath)
	}
	if os.Geteuid() != 0 {
		skip("OpenSMTPD must be started as root")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	// The delivery agent runs as nobody (OpenSMTPD never delivers as
	// root), so the folder must be reachable by it: not under t.TempDir,
	// whose parent is private.
	dir, err := os.MkdirTemp("", "duban-smtpd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	box := filepath.Join(dir, "box")
	if err := os.Mkdir(box, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(box, 0o777); err != nil { // past the umask
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	maildir = filepath.Join(box, "Maildir")
	conf := filepath.Join(dir, "smtpd.conf")
	// Every recipient is a virtual user mapped to nobody, so any address
	// is accepted and lands in the one Maildir.
	cfg := fmt.Sprintf("table vusers { \"@\" = \"nobody\" }\nlisten on 127.0.0.1 port %d\naction \"box\" maildir \"%s\" virtual <vusers>\nmatch from any for any action \"box\"\n", port, maildir)
	if err := os.WriteFile(conf, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var logBuf bytes.Buffer
	cmd := exec.Command(smtpdPath, "-d", "-f", conf)
	cmd.Stdout, cmd.Stderr = &logBuf, &logBuf
	if err := cmd.Start(); err != nil {
		skip("cannot start OpenSMTPD: " + err.Error())
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr = fmt.Sprintf("127.0.0.1:%d", port)
	for i := 0; i < 100; i++ {
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			return addr, maildir
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("OpenSMTPD did not listen on %s: %s", addr, logBuf.String())
	return "", ""
}

// TestEmailThroughRealSMTP sends two notices through OpenSMTPD and reads
// them back from the Maildir it delivered to.
func TestEmailThroughRealSMTP(t *testing.T) {
	addr, maildir := startSMTPD(t)
	date := time.Date(2021, 11, 6, 10, 0, 0, 0, time.UTC)
	ch := notify.Email{Addr: addr, From: "督查室 <duban@localhost>", Now: func() time.Time { return date }, Timeout: 10 * time.Second}
	m := sample("kjj@xiaodian.example")
	if err := ch.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	second := sample("fgw@xiaodian.example")
	second.DedupeKey, second.Number, second.Subject = "remind/report/1/2/2021-10/+1", "", "催办：任务1.1 2021-10进展报告"
	if err := ch.Send(ctx, second); err != nil {
		t.Fatal(err)
	}
	var files []string
	for i := 0; i < 100 && len(files) < 2; i++ {
		files, _ = filepath.Glob(filepath.Join(maildir, "new", "*"))
		time.Sleep(100 * time.Millisecond)
	}
	if len(files) != 2 {
		t.Fatalf("%d messages in %s; want 2", len(files), maildir)
	}
	subjects := map[string]string{}
	dec := new(mime.WordDecoder)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := mail.ReadMessage(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			t.Fatal(err)
		}
		subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
		if err != nil {
			t.Fatalf("body: %v", err)
		}
		key, _ := dec.DecodeHeader(msg.Header.Get("X-Duban-Key"))
		subjects[key] = subject
		if !strings.Contains(string(body), "请于2021-11-11前书面反馈") || msg.Header.Get("Message-Id") == "" {
			t.Errorf("message %s: body %q, headers %v", key, body, msg.Header)
		}
	}
	if subjects[m.DedupeKey] != "督办〔2021〕16号 红色督办单：任务3.2 打造科技成果转化地" || subjects[second.DedupeKey] != "催办：任务1.1 2021-10进展报告" {
		t.Errorf("subjects %v", subjects)
	}
	// A refused recipient is an error, not a silent loss.
	bad := sample("not an address")
	if err := ch.Send(ctx, bad); err == nil {
		t.Errorf("sending to %q succeeded", bad.Recipient)
	}
}

// TestEmailCompose checks the message text without a server: headers in
// MIME encoded-words, a Message-ID that depends only on the key and the
// recipient, lines within 78 characters.
func TestEmailCompose(t *testing.T) {
	ch := notify.Email{From: "督查室 <duban@xiaodian.gov.cn>"}
	at := time.Date(2021, 11, 6, 10, 0, 0, 0, time.UTC)
	a, err := ch.Compose(sample("kjj@xiaodian.gov.cn"), at)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ch.Compose(sample("kjj@xiaodian.gov.cn"), at.Add(time.Hour))
	id := func(raw []byte) string {
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		return msg.Header.Get("Message-Id")
	}
	if id(a) == "" || id(a) != id(b) || !strings.HasSuffix(id(a), "@xiaodian.gov.cn>") {
		t.Errorf("Message-ID %q then %q; want the same for a resend", id(a), id(b))
	}
	for _, line := range strings.Split(string(a), "\r\n") {
		if len(line) > 998 || (!strings.HasPrefix(line, "Subject:") && !strings.HasPrefix(line, "From:") && len(line) > 78) {
			t.Errorf("line too long: %q", line)
		}
	}
	if _, err := ch.Compose(sample("bad\r\nBcc: x@y"), at); err == nil {
		t.Errorf("a recipient with a header injection was accepted")
	}
}
