package upload

import (
	"bytes"
	"mime"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSniff feeds arbitrary bytes to the sniffer: it must never panic, and
// whatever it accepts must be a kind on the allow-list, never markup or a
// program, and the same on a second look.
func FuzzSniff(f *testing.F) {
	f.Add([]byte(pdf))
	f.Add(docx(f))
	f.Add(xlsx(f))
	f.Add(pngBytes(f))
	f.Add(jpegBytes(f))
	f.Add(mz)
	f.Add([]byte("<html><script>alert(1)</script>"))
	f.Add([]byte("已完成老旧小区改造12个。\n"))
	f.Add(gb18030(f, "新增就业1.2万人"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	f.Fuzz(func(t *testing.T, data []byte) {
		kind, err := Sniff(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		onList := false
		for _, k := range Allowed {
			onList = onList || k.ContentType == kind.ContentType
		}
		if !onList {
			t.Fatalf("accepted %q, which is not on the allow-list", kind.ContentType)
		}
		if bytes.HasPrefix(data, []byte("MZ")) || bytes.HasPrefix(data, []byte("\x7fELF")) {
			t.Fatalf("accepted a program as %s", kind.Name)
		}
		if strings.HasPrefix(kind.ContentType, "text/") && utf8.Valid(data) && bytes.Contains(bytes.ToLower(data), []byte("<script")) {
			t.Fatalf("accepted script as text: %q", data)
		}
		again, err := Sniff(bytes.NewReader(data), int64(len(data)))
		if err != nil || again.ContentType != kind.ContentType {
			t.Fatalf("second look: %v, %v", again, err)
		}
	})
}

// FuzzCleanName checks the properties a stored and served name must have,
// whatever a browser sent: no path, no control characters, bounded length,
// valid UTF-8, and a Content-Disposition header without line breaks that a
// client parses back to the same name.
func FuzzCleanName(f *testing.F) {
	for _, s := range []string{"进展报告.pdf", `C:\Users\李明\一季度.docx`, "../../etc/passwd", "a\u202Etxt.exe", "\x00", "..",
		strings.Repeat("进展", 100) + ".xlsx", `"; filename="evil.html`, "a\r\nSet-Cookie: x=1.txt", "%E4%BD%A0.txt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		clean, err := CleanName(name)
		if err != nil {
			return
		}
		if clean == "" || clean == "." || clean == ".." || len(clean) > MaxNameBytes || !utf8.ValidString(clean) ||
			strings.ContainsAny(clean, "/\\\x00\r\n\"") {
			t.Fatalf("CleanName(%q) = %q", name, clean)
		}
		if again, err := CleanName(clean); err != nil || again != clean {
			t.Fatalf("CleanName is not stable: %q → %q → %q (%v)", name, clean, again, err)
		}
		cd := ContentDisposition(clean)
		if strings.ContainsAny(cd, "\r\n\x00") {
			t.Fatalf("header %q", cd)
		}
		disp, params, err := mime.ParseMediaType(cd)
		if err != nil || disp != "attachment" || params["filename"] != clean {
			t.Fatalf("ContentDisposition(%q) = %q parses as %q %v %v", clean, cd, disp, params, err)
		}
	})
}
