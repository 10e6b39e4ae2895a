package upload

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/fault"
)

// zipOf builds a zip archive with the given parts.
func zipOf(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const docxTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

func docx(t testing.TB) []byte {
	return zipOf(t, map[string]string{
		"[Content_Types].xml": docxTypes,
		"word/document.xml":   `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>一季度完成新建道路3公里。</w:t></w:r></w:p></w:body></w:document>`,
	})
}

func xlsx(t testing.TB) []byte {
	return zipOf(t, map[string]string{
		"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
		"xl/workbook.xml":     `<workbook/>`,
	})
}

func pngBytes(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{200, 16, 46, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegBytes(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gb18030(t testing.TB, s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const pdf = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

// mz is the start of a Windows program: the MZ header and the DOS stub.
var mz = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), []byte("This program cannot be run in DOS mode.\r\r\n$")...)

func newStore(t *testing.T, max int64) *Store {
	t.Helper()
	s, err := NewStore(filepath.Join(t.TempDir(), "attachments"), max)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// stored lists every file under the store's folder, temporary ones included.
func stored(t *testing.T, s *Store) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(s.dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(s.dir, p)
			files = append(files, rel)
		}
		return nil
	})
	return files
}

func TestPutAccepts(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want Kind
	}{
		{"2021年一季度进展.pdf", []byte(pdf), KindPDF},
		{"进展报告.docx", docx(t), KindDOCX},
		{"指标完成情况.XLSX", xlsx(t), KindXLSX},
		{"现场照片.png", pngBytes(t), KindPNG},
		{"现场照片.jpg", jpegBytes(t), KindJPEG},
		{"photo.jpeg", jpegBytes(t), KindJPEG},
		{"说明.txt", []byte("\xEF\xBB\xBF已完成老旧小区改造12个。\r\n"), KindText},
		{"说明.txt", gb18030(t, "已完成老旧小区改造12个，新增就业1.2万人。\n"), KindTextGB},
		{"指标.csv", []byte("指标,目标,完成\n新增就业,12000,3100\n"), KindText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, 1<<20)
			att, err := s.Put(context.Background(), tt.name, bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(tt.data)
			if att.SHA256 != hex.EncodeToString(sum[:]) || att.ContentType != tt.want.ContentType ||
				att.Size != int64(len(tt.data)) || att.Name != tt.name {
				t.Fatalf("attachment = %+v", att)
			}
			want := filepath.Join(att.SHA256[:2], att.SHA256[2:4], att.SHA256)
			if got := stored(t, s); len(got) != 1 || got[0] != want {
				t.Fatalf("stored files %v, want [%s]", got, want)
			}
			f, err := s.Open(att.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			back, _ := io.ReadAll(f)
			if !bytes.Equal(back, tt.data) {
				t.Fatal("the stored file differs from the upload")
			}
			// The same content again is stored once.
			if _, err := s.Put(context.Background(), "again"+filepath.Ext(tt.name), bytes.NewReader(tt.data)); err != nil {
				t.Fatal(err)
			}
			if got := stored(t, s); len(got) != 1 {
				t.Fatalf("after a second upload: %v", got)
			}
		})
	}
}

// failingReader delivers some bytes and then fails, like a dropped
// connection.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset by peer")
	}
	n := min(len(p), f.n)
	for i := range p[:n] {
		p[i] = 'a'
	}
	f.n -= n
	return n, nil
}

func TestPutRefusesAndLeavesNothing(t *testing.T) {
	const max = 64 << 10
	html := "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		file    string
		r       io.Reader
		ctx     context.Context
		is      error
		message string
	}{
		{"program renamed .pdf", "报告.pdf", bytes.NewReader(mz), nil, fault.ErrInvalid, "a program"},
		{"HTML renamed .docx", "报告.docx", strings.NewReader(html), nil, fault.ErrInvalid, "web page"},
		{"HTML renamed .txt", "说明.txt", strings.NewReader("\n  <html><script>x()</script>"), nil, fault.ErrInvalid, "web page"},
		{"SVG renamed .png", "图.png", strings.NewReader(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), nil, fault.ErrInvalid, "markup"},
		{"script inside text", "说明.txt", strings.NewReader("一季度进展顺利。\n<SCRIPT src=//x></script>"), nil, fault.ErrInvalid, "markup (<script"},
		{"ELF renamed .txt", "说明.txt", strings.NewReader("\x7fELF\x02\x01\x01\x00"), nil, fault.ErrInvalid, "a program"},
		{"macro document renamed .docx", "宏.docx", bytes.NewReader(zipOf(t, map[string]string{"[Content_Types].xml": docxTypes, "word/document.xml": "<w:document/>", "word/vbaProject.bin": "\xd0\xcf"})), nil, fault.ErrInvalid, "macros"},
		{"macro-enabled type renamed .xlsx", "宏.xlsx", bytes.NewReader(zipOf(t, map[string]string{"[Content_Types].xml": `<Types><Default ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>`, "xl/workbook.xml": "<workbook/>"})), nil, fault.ErrInvalid, "macro-enabled"},
		{"plain zip renamed .docx", "a.docx", bytes.NewReader(zipOf(t, map[string]string{"readme.txt": "hi"})), nil, fault.ErrInvalid, "not a Word"},
		{"damaged zip", "a.docx", strings.NewReader("PK\x03\x04 and then nothing of a zip"), nil, fault.ErrInvalid, "damaged"},
		{"old .doc", "a.doc", bytes.NewReader([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}), nil, fault.ErrInvalid, ".docx or .xlsx"},
		{"PNG named .pdf", "a.pdf", bytes.NewReader(pngBytes(t)), nil, fault.ErrInvalid, "name it …"},
		{"PDF without extension", "报告", strings.NewReader(pdf), nil, fault.ErrInvalid, "name it …"},
		{"fake PNG header", "a.png", strings.NewReader("\x89PNG\r\n\x1a\nnot a chunk at all"), nil, fault.ErrInvalid, "not one"},
		{"binary text", "a.txt", strings.NewReader("abc\x00\x01\x02def"), nil, fault.ErrInvalid, ""},
		{"control characters late in text", "a.txt", strings.NewReader(strings.Repeat("正常文字", 200) + "\x1b[31m"), nil, fault.ErrInvalid, "control characters"},
		{"neither UTF-8 nor GB18030", "a.txt", strings.NewReader("ok \x80\xff\xfe bad"), nil, fault.ErrInvalid, "neither UTF-8 nor GB18030"},
		{"empty", "a.pdf", strings.NewReader(""), nil, fault.ErrInvalid, "empty"},
		{"no name", "../..", strings.NewReader(pdf), nil, fault.ErrInvalid, "no usable name"},
		{"oversized stream", "big.pdf", io.MultiReader(strings.NewReader(pdf), &failingReader{n: max}), nil, nil, "larger than"},
		{"aborted upload", "a.pdf", io.MultiReader(strings.NewReader(pdf), &failingReader{n: 1000}), nil, nil, "connection reset"},
		{"abandoned request", "a.pdf", strings.NewReader(pdf), cancelled, context.Canceled, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, max)
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			_, err := s.Put(ctx, tt.file, tt.r)
			if err == nil {
				t.Fatal("accepted")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("err = %q, want it to say %q", err, tt.message)
			}
			if got := stored(t, s); len(got) != 0 {
				t.Fatalf("left behind: %v", got)
			}
		})
	}
}

func TestPutOversizedIsTooLarge(t *testing.T) {
	s := newStore(t, 1000)
	_, err := s.Put(context.Background(), "big.txt", strings.NewReader(strings.Repeat("字", 400)))
	var mbe *http.MaxBytesError
	if !errors.As(err, &mbe) || mbe.Limit != 1000 || errors.Is(err, fault.ErrInvalid) {
		t.Fatalf("err = %v: want a MaxBytesError (413), not a 400", err)
	}
	// Exactly at the limit is fine.
	if _, err := s.Put(context.Background(), "edge.txt", strings.NewReader(strings.Repeat("a", 1000))); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefusesPaths(t *testing.T) {
	s := newStore(t, 1<<20)
	att, err := s.Put(context.Background(), "a.pdf", strings.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	for _, sha := range []string{
		"", "../../../../etc/passwd", "tmp", strings.ToUpper(att.SHA256), att.SHA256 + "/..", att.SHA256[:63],
		"../" + att.SHA256[3:], att.SHA256[:62] + "/.", strings.Repeat("g", 64),
	} {
		if _, err := s.Open(sha); !errors.Is(err, fault.ErrInvalid) {
			t.Errorf("Open(%q): %v, want invalid", sha, err)
		}
	}
	if _, err := s.Open(strings.Repeat("0", 64)); !errors.Is(err, fault.ErrNotFound) {
		t.Errorf("unknown hash: %v", err)
	}
}

func TestCleanName(t *testing.T) {
	long := strings.Repeat("进展", 60) + ".docx" // 360 bytes + 5
	tests := []struct{ in, want string }{
		{"进展报告.pdf", "进展报告.pdf"},
		{`C:\Users\李明\Desktop\一季度.docx`, "一季度.docx"},
		{"../../etc/passwd", "passwd"},
		{"report\u202Efdp.exe", "reportfdp.exe"}, // right-to-left override removed
		{"a\x00b\r\nc.txt", "abc.txt"},
		{" 报告.pdf. ", "报告.pdf"},
		{`what"is:this?.txt`, "what_is_this_.txt"},
		{long, strings.Repeat("进展", 41) + "进.docx"},
	}
	for _, tt := range tests {
		got, err := CleanName(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("CleanName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", " ", "..", "/", `C:\dir\`, "\u202E"} {
		if _, err := CleanName(bad); !errors.Is(err, fault.ErrInvalid) {
			t.Errorf("CleanName(%q): %v, want invalid", bad, err)
		}
	}
}

func TestServeAttachment(t *testing.T) {
	s := newStore(t, 1<<20)
	att, err := s.Put(context.Background(), "2021年一季度 进展；报告.pdf", strings.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	get := func(header http.Header) *http.Response {
		f, err := s.Open(att.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		req := httptest.NewRequest("GET", "/a", nil)
		for k, v := range header {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		ServeAttachment(rec, req, att, f)
		return rec.Result()
	}
	res := get(nil)
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || string(body) != pdf {
		t.Fatalf("status %d, body %q", res.StatusCode, body)
	}
	for k, want := range map[string]string{
		"Content-Type":            "application/pdf",
		"X-Content-Type-Options":  "nosniff",
		"Content-Disposition":     `attachment; filename="2021.pdf"; filename*=UTF-8''2021%E5%B9%B4%E4%B8%80%E5%AD%A3%E5%BA%A6%20%E8%BF%9B%E5%B1%95%EF%BC%9B%E6%8A%A5%E5%91%8A.pdf`,
		"Content-Security-Policy": "default-src 'none'; sandbox",
		"Etag":                    `"` + att.SHA256 + `"`,
	} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	// A browser's reading of the header gives the Chinese name back.
	_, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
	if err != nil || params["filename"] != att.Name {
		t.Fatalf("parsed disposition %v, %v; want filename %q", params, err, att.Name)
	}
	if res := get(http.Header{"Range": {"bytes=0-4"}}); res.StatusCode != 206 {
		t.Fatalf("range: %d", res.StatusCode)
	} else if b, _ := io.ReadAll(res.Body); string(b) != "%PDF-" {
		t.Fatalf("range body %q", b)
	}
	if res := get(http.Header{"If-None-Match": {`"` + att.SHA256 + `"`}}); res.StatusCode != 304 {
		t.Fatalf("conditional: %d", res.StatusCode)
	}
	// A record whose type is not on the allow-list is served as bytes.
	f, _ := s.Open(att.SHA256)
	defer f.Close()
	rec := httptest.NewRecorder()
	ServeAttachment(rec, httptest.NewRequest("GET", "/a", nil), delivery.Attachment{SHA256: att.SHA256, Name: "x.html", ContentType: "text/html"}, f)
	if ct := rec.Header().Get("Content-Type"); ct != "application/octet-stream" {
		t.Fatalf("unknown type served as %q", ct)
	}
}
