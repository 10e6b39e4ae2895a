package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
)

// Email sends notices over SMTP (net/smtp). It uses STARTTLS when the server
// offers it and authenticates with PLAIN when a user name is set (net/smtp
// refuses PLAIN over an unencrypted link except to localhost).
type Email struct {
	Addr     string // host:port of the SMTP server
	From     string // sender address
	Username string
	Password string
	// TLS configures STARTTLS; nil means verify the server's name.
	TLS *tls.Config
	// Timeout bounds one whole send; 0 means 30 s.
	Timeout time.Duration
	// Now dates the message; nil means time.Now.
	Now func() time.Time
}

// Name is "email".
func (Email) Name() string { return ChannelEmail }

// Compose writes the message as RFC 5322 text: UTF-8 subject in MIME
// encoded-words, base64 body, and a Message-ID derived from the dedupe key,
// so a resend after a crash carries the same id and mail clients fold it.
func (c Email) Compose(m Message, date time.Time) ([]byte, error) {
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("notify: sender %q: %w", c.From, err)
	}
	to, err := mail.ParseAddress(m.Recipient)
	if err != nil {
		return nil, fmt.Errorf("notify: recipient %q: %w", m.Recipient, err)
	}
	subject := m.Subject
	if m.Number != "" {
		subject = m.Number + " " + subject
	}
	sum := sha256.Sum256([]byte(m.DedupeKey + "\x00" + to.Address))
	domain := "duban.invalid"
	if _, d, ok := strings.Cut(from.Address, "@"); ok {
		domain = d
	}
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.BEncoding.Encode("utf-8", strings.ReplaceAll(subject, "\n", " ")))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(sum[:16])+"@"+domain+">")
	header("X-Duban-Key", mime.QEncoding.Encode("utf-8", m.DedupeKey))
	header("MIME-Version", "1.0")
	header("Content-Type", `text/plain; charset="utf-8"`)
	header("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(m.Body + "\n"))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes(), nil
}

// Send delivers the message to m.Recipient.
func (c Email) Send(ctx context.Context, m Message) error {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	msg, err := c.Compose(m, now())
	if err != nil {
		return err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	conn, err := (&net.Dialer{Deadline: deadline}).DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("notify: smtp %s: %w", c.Addr, err)
	}
	_ = conn.SetDeadline(deadline)
	host, _, _ := net.SplitHostPort(c.Addr)
	client, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("notify: smtp %s: %w", c.Addr, err)
	}
	defer client.Close()
	if ok, _ := client.Extension("STARTTLS"); ok {
		cfg := c.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host}
		}
		if err := client.StartTLS(cfg); err != nil {
			return fmt.Errorf("notify: smtp STARTTLS: %w", err)
		}
	}
	if c.Username != "" {
		if err := client.Auth(smtp.PlainAuth("", c.Username, c.Password, host)); err != nil {
			return fmt.Errorf("notify: smtp auth: %w", err)
		}
	}
	from, _ := mail.ParseAddress(c.From)
	to, _ := mail.ParseAddress(m.Recipient)
	if err := client.Mail(from.Address); err != nil {
		return fmt.Errorf("notify: smtp MAIL FROM: %w", err)
	}
	if err := client.Rcpt(to.Address); err != nil {
		return fmt.Errorf("notify: smtp RCPT TO %s: %w", to.Address, err)
	}
	w, err := client.Data()
	if err != nil {
		return fmt.Errorf("notify: smtp DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("notify: smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("notify: smtp DATA: %w", err)
	}
	return client.Quit()
}
