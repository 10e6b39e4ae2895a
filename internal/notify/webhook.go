package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Webhook posts notices as JSON. The recipient is the URL, optionally
// prefixed "wecom+" or "dingtalk+" for those robots' message format
// ({"msgtype":"text","text":{"content":…}}); otherwise the body is the
// Message itself. Every post carries the notice's dedupe key in the
// Idempotency-Key header, so a receiver can drop a resend after a crash.
type Webhook struct {
	// Client sends the posts; nil means a client with a 15 s timeout.
	Client *http.Client
}

// Webhook formats.
const (
	FormatGeneric  = "generic"
	FormatWeCom    = "wecom"
	FormatDingTalk = "dingtalk"
)

// WebhookRecipient writes a recipient for url in format.
func WebhookRecipient(format, url string) string {
	if format == FormatWeCom || format == FormatDingTalk {
		return format + "+" + url
	}
	return url
}

// Name is "webhook".
func (Webhook) Name() string { return ChannelWebhook }

// Payload returns the format and JSON body the webhook posts for m.
func Payload(m Message) (url string, body []byte, err error) {
	format, url := FormatGeneric, m.Recipient
	if f, rest, ok := strings.Cut(m.Recipient, "+"); ok && (f == FormatWeCom || f == FormatDingTalk) {
		format, url = f, rest
	}
	switch format {
	case FormatWeCom, FormatDingTalk:
		// Both robots take the same text message; a group reads the subject
		// line first, so it leads.
		text := m.Subject + "\n" + m.Body
		if m.Number != "" {
			text = m.Number + " " + text
		}
		body, err = json.Marshal(map[string]any{"msgtype": "text", "text": map[string]string{"content": text}})
	default:
		body, err = json.Marshal(m)
	}
	return url, body, err
}

// Send posts the message and wants a 2xx answer.
func (c Webhook) Send(ctx context.Context, m Message) error {
	url, body, err := Payload(m)
	if err != nil {
		return err
	}
	client := c.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("notify: webhook %s: %w", url, err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Idempotency-Key", m.DedupeKey)
	req.Header.Set("User-Agent", "duban")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: webhook: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("notify: webhook %s answered %s: %s", url, resp.Status, strings.TrimSpace(string(answer)))
	}
	// The robots answer 200 with an error code in the body.
	var robot struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if json.Unmarshal(answer, &robot) == nil && robot.ErrCode != 0 {
		return fmt.Errorf("notify: webhook %s: robot error %d: %s", url, robot.ErrCode, robot.ErrMsg)
	}
	return nil
}
