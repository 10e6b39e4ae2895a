package drill

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-org/duban/internal/auth"
	"github.com/duban-org/duban/internal/delivery"
)

// TestUploadsThroughTheServer attaches files to a report through the running
// binary: a real PDF is stored and comes back as a download; a program
// renamed .pdf, a web page renamed .docx and a file over the 20 MiB limit
// get clear 4xx answers and leave nothing in the attachment folder or the
// audit log.
func TestUploadsThroughTheServer(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bin := dubanBin
	db, data := filepath.Join(dir, "duban.db"), filepath.Join(dir, "data")
	fx, err := Prepare(ctx, db, 1, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Start(ctx, bin, db, data)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	hc := &http.Client{Transport: NewTransport(4), Timeout: 60 * time.Second}
	rep := fx.Reporters[0]
	c, err := SignIn(ctx, hc, srv.URL, rep.Account)
	if err != nil {
		t.Fatal(err)
	}
	var draft Report
	if err := c.Do(ctx, "POST", fmt.Sprintf("/api/v1/tasks/%d/reports", rep.Tasks[0]),
		map[string]any{"period": "2021-03", "narrative": "附件测试"}, &draft); err != nil {
		t.Fatal(err)
	}
	pdf := "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
	refused := []struct {
		name    string
		content io.Reader
		status  int
		says    string
	}{
		{"报告.pdf", strings.NewReader("MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode."), 400, "a program"},
		{"报告.docx", strings.NewReader("<!DOCTYPE html><html><script>alert(1)</script></html>"), 400, "web page"},
		{"大文件.pdf", io.MultiReader(strings.NewReader(pdf), io.LimitReader(zeros{}, 20<<20+64<<10)), 413, "larger than"},
	}
	for _, tt := range refused {
		err := c.Upload(ctx, draft.ID, tt.name, tt.content, nil)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != tt.status || !strings.Contains(apiErr.Body, tt.says) {
			t.Errorf("%s: %v, want %d saying %q", tt.name, err, tt.status, tt.says)
		}
	}
	var att delivery.Attachment
	if err := c.Upload(ctx, draft.ID, "2021年一季度进展.pdf", strings.NewReader(pdf), &att); err != nil {
		t.Fatal(err)
	}
	if att.ContentType != "application/pdf" || att.Name != "2021年一季度进展.pdf" || att.Size != int64(len(pdf)) {
		t.Fatalf("attachment %+v", att)
	}

	// Only the accepted file is on disk, under its hash; no temporary
	// leftovers from the refused ones.
	var files []string
	filepath.WalkDir(data, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(data, p)
			files = append(files, rel)
		}
		return err
	})
	want := filepath.Join("attachments", att.SHA256[:2], att.SHA256[2:4], att.SHA256)
	if len(files) != 1 || files[0] != want {
		t.Fatalf("attachment folder holds %v, want only %s", files, want)
	}

	// The download: the same bytes, as an attachment with the Chinese name.
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/reports/%d/attachments/%s", srv.URL, draft.ID, att.SHA256), nil)
	req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: c.cookie})
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Equal(body, []byte(pdf)) || res.Header.Get("Content-Type") != "application/pdf" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="2021.pdf"; filename*=UTF-8''2021%E5%B9%B4`) {
		t.Fatalf("download: %d %v", res.StatusCode, res.Header)
	}
	for _, sha := range []string{"..%2F..%2Fetc%2Fpasswd", strings.ToUpper(att.SHA256), "0" + att.SHA256[1:]} {
		err := c.Do(ctx, "GET", fmt.Sprintf("/api/v1/reports/%d/attachments/%s", draft.ID, sha), nil, nil)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status < 400 || apiErr.Status > 499 {
			t.Errorf("attachment %q: %v, want a 4xx", sha, err)
		}
	}

	// The log records the one attachment, nothing of the refused ones.
	office, err := SignIn(ctx, hc, srv.URL, fx.Office)
	if err != nil {
		t.Fatal(err)
	}
	var page struct{ Events []struct{ Action string } }
	if err := office.Do(ctx, "GET", fmt.Sprintf("/api/v1/audit?entity=report&entity_id=%d&action=report.attach", draft.ID), nil, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 1 {
		t.Fatalf("%d report.attach events, want 1", len(page.Events))
	}
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
