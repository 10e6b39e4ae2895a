package notify_test

import (
	"bytes"
	"encoding/json"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/notify"
)

// FuzzCompose feeds notice text and recipients from outside (unit names,
// office-written subjects, addresses from settings) to the e-mail writer:
// whatever comes in, the result is either an error or one well-formed
// message to exactly the recipient, with no header smuggled in.
func FuzzCompose(f *testing.F) {
	f.Add("红色督办单：任务3.2", "请于2021-11-11前反馈。", "kjj@xiaodian.gov.cn", "notice/red/3/overdue/2021-10-31")
	f.Add("a\r\nBcc: evil@example.org", "body\r\n.\r\n", "x@y.z", "k")
	f.Add(strings.Repeat("长", 300), "", "\"科技局\" <kjj@xiaodian.gov.cn>", "")
	f.Add("s", "b", "bad\nBcc: x@y", "k")
	ch := notify.Email{From: "督查室 <duban@xiaodian.gov.cn>"}
	f.Fuzz(func(t *testing.T, subject, body, to, key string) {
		m := sample(to)
		m.Subject, m.Body, m.DedupeKey = subject, body, key
		raw, err := ch.Compose(m, time.Date(2021, 11, 6, 10, 0, 0, 0, time.UTC))
		if err != nil {
			return
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("composed message does not parse: %v\n%s", err, raw)
		}
		for k := range msg.Header {
			switch k {
			case "From", "To", "Subject", "Date", "Message-Id", "X-Duban-Key", "Mime-Version", "Content-Type", "Content-Transfer-Encoding":
			default:
				t.Fatalf("unexpected header %q in\n%s", k, raw)
			}
		}
		addrs, err := msg.Header.AddressList("To")
		want, _ := mail.ParseAddress(to)
		if err != nil || len(addrs) != 1 || addrs[0].Address != want.Address {
			t.Fatalf("To: %v %v; want %s", addrs, err, want.Address)
		}
	})
}

// FuzzPayload checks every webhook body is valid JSON carrying the text.
func FuzzPayload(f *testing.F) {
	f.Add("wecom+https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "主题", "内容")
	f.Add("https://example.org/hook", "\x00\xff", "\"}")
	f.Add("dingtalk+", "", "")
	f.Fuzz(func(t *testing.T, recipient, subject, body string) {
		m := sample(recipient)
		m.Subject, m.Body = subject, body
		_, b, err := notify.Payload(m)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("payload is not JSON: %v: %s", err, b)
		}
	})
}
