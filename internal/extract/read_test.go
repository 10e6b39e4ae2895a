package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The package's golden files are refreshed with `go test -update`. The flag
// is defined in init, after every package-level variable, so that a test
// file that declares it too (var update = flag.Bool(...)) wins instead of
// panicking on a second definition.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/")
	}
}

// updating reports whether -update was given.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// checkGolden compares got with the golden file, or rewrites it under -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (go test -update rewrites it):\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// TestReadFixtures reads each document under testdata/read and compares the
// normalised text with its .golden file.
func TestReadFixtures(t *testing.T) {
	if updating() {
		// The committed .docx is made by the same helper the unit tests
		// use, so that it holds exactly the features they cover.
		if err := os.WriteFile("testdata/read/plan.docx", fixtureDOCX(t), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := filepath.Glob("testdata/read/*.*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".golden") {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := Read(filepath.Base(path), data)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, path+".golden", Normalize(raw)+"\n")
		})
	}
	if n < 4 {
		t.Fatalf("found %d fixtures under testdata/read, want at least 4", n)
	}
}

// TestReadErrors checks that every kind of unreadable input gets its
// sentinel error, the file name, and a sentence that says what to do.
func TestReadErrors(t *testing.T) {
	zipOf := func(names ...string) []byte {
		parts := map[string]string{}
		for _, n := range names {
			parts[n] = "<x/>"
		}
		return makeZip(t, parts)
	}
	tests := []struct {
		name string
		file string
		data []byte
		want error
		says string
	}{
		{"empty", "plan.txt", nil, ErrEmpty, "empty"},
		{"only white space", "plan.txt", []byte(" \r\n\t\n"), ErrEmpty, "no text"},
		{"only ideographic spaces", "plan.txt", []byte("\u3000\u3000\n"), ErrEmpty, "no text"},
		{"pdf", "plan.pdf", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"), ErrUnsupported, "PDF is not supported, save it as .docx or .txt"},
		{"pdf renamed", "plan.txt", []byte("%PDF-1.4\n"), ErrUnsupported, "PDF is not supported"},
		{"pdf after junk", "plan.pdf", []byte("\r\n\r\n%PDF-1.4\n"), ErrUnsupported, "PDF is not supported"},
		{"word 97", "plan.doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"), ErrUnsupported, "save it as .docx"},
		{"rtf", "plan.rtf", []byte(`{\rtf1\ansi 计划}`), ErrUnsupported, "RTF"},
		{"png", "scan.png", []byte("\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR"), ErrBinary, "PNG image"},
		{"jpeg", "scan.jpg", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF"), ErrBinary, "JPEG image"},
		{"nul bytes", "plan.txt", []byte("第一段\x00\x00\x00第二段"), ErrBinary, "NUL"},
		{"control characters", "plan.txt", bytes.Repeat([]byte("\x01\x02\x03a"), 10), ErrBinary, "control characters"},
		{"random bytes", "plan.txt", bytes.Repeat([]byte{0xFF, 0x80, 0xFE, 0x20, 0x81}, 40), ErrBinary, "not text"},
		{"xlsx", "plan.xlsx", zipOf("[Content_Types].xml", "xl/workbook.xml"), ErrUnsupported, "Excel"},
		{"ofd", "plan.ofd", zipOf("OFD.xml"), ErrUnsupported, "OFD"},
		{"other zip", "plan.zip", zipOf("readme.txt"), ErrUnsupported, "zip archive"},
		{"broken zip", "plan.docx", []byte("PK\x03\x04 this is not really a zip"), ErrDamaged, "cannot be opened"},
		{"docx with bad xml", "plan.docx", makeZip(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p>"}), ErrDamaged, "not well-formed"},
		{"page nested beyond what a browser builds", "page.html", []byte("<html><body>" + strings.Repeat("<div>", 600) + "年内新建学校三所。"), ErrDamaged, "cannot be read as HTML"},
		{"page with no text", "page.html", []byte("<html><head><title>标题</title></head><body><script>var a='正文'</script><img src=a.png></body></html>"), ErrEmpty, "no text"},
		{"docx without text", "plan.docx", makeDOCX(t, `<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>`, nil), ErrEmpty, "no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, err := Read(tt.file, tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Read = %q, %v; want an error wrapping %v", text, err, tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.file+": ") || !strings.Contains(msg, tt.says) {
				t.Errorf("error %q should name %s and say %q", msg, tt.file, tt.says)
			}
		})
	}
}

// TestReadDispatch checks that content decides the format before the name.
func TestReadDispatch(t *testing.T) {
	page := []byte("<!DOCTYPE html><html><body><nav>首页</nav><p>年内新建学校三所。</p></body></html>")
	docx := makeDOCX(t, `<w:p><w:r><w:t>年内新建学校三所。</w:t></w:r></w:p>`, nil)
	tests := []struct {
		name string
		file string
		data []byte
		want string
	}{
		{"page saved as txt", "plan.txt", page, "年内新建学校三所。"},
		{"page without extension", "plan", page, "年内新建学校三所。"},
		{"docx renamed txt", "plan.txt", docx, "年内新建学校三所。"},
		{"docx with upper-case extension", "PLAN.DOCX", docx, "年内新建学校三所。"},
		{"fragment named html", "part.html", []byte("<p>年内新建学校三所。</p><p>改造道路5公里。</p>"), "年内新建学校三所。\n改造道路5公里。"},
		{"fragment named txt stays text", "part.txt", []byte("<p>年内新建学校三所。</p>"), "<p>年内新建学校三所。</p>"},
		{"text named docx", "plan.docx", []byte("年内新建学校三所。"), "年内新建学校三所。"},
		{"text named pdf", "plan.pdf", []byte("年内新建学校三所。"), "年内新建学校三所。"},
		{"text that starts with MZ", "plan.txt", []byte("MZ镇年内新建学校三所。"), "MZ镇年内新建学校三所。"},
		{"utf-16 page", "page.htm", append([]byte{0xFF, 0xFE}, utf16LE("<html><body><p>年内新建学校三所。</p></body></html>")...), "年内新建学校三所。"},
		{"utf-16 text", "plan.txt", append([]byte{0xFE, 0xFF}, utf16BE("年内新建学校三所。\r\n")...), "年内新建学校三所。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(tt.file, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := Normalize(got); got != tt.want {
				t.Errorf("Read(%s) = %q, want %q", tt.file, got, tt.want)
			}
		})
	}
}

// TestReadEvalDocs reads the evaluation documents, which are UTF-8 text:
// Read must hand them over unchanged, and Normalize must change nothing
// but white space and the forms of punctuation and digits, and keep every
// line where it was.
func TestReadEvalDocs(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/eval/docs/*.txt")
	if len(files) == 0 {
		t.Skip("no evaluation documents beside the repository")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := Read(path, data)
			if err != nil {
				t.Fatal(err)
			}
			if raw != string(data) {
				t.Fatal("Read changed a UTF-8 text file")
			}
			norm := Normalize(raw)
			if a, b := readComparable(raw), readComparable(norm); a != b {
				i := 0
				for i < len(a) && i < len(b) && a[i] == b[i] {
					i++
				}
				t.Errorf("Normalize changed more than its rules allow, from byte %d:\n%q\n%q", i, a[i:min(len(a), i+80)], b[i:min(len(b), i+80)])
			}
			if a, b := readNonBlankLines(raw), readNonBlankLines(norm); a != b {
				t.Errorf("Normalize turned %d non-blank lines into %d", a, b)
			}
		})
	}
}

// readComparable erases the differences Normalize is allowed to make.
func readComparable(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' || r == '\u00A0' || r == '\uFEFF' || r == '\u200B':
			continue
		case strings.ContainsRune(",;:!?，；：！？", r):
			b.WriteByte('|')
		case r >= '０' && r <= '９':
			b.WriteRune(r - '０' + '0')
		case r == '％':
			b.WriteByte('%')
		case r == '．':
			b.WriteByte('.')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func readNonBlankLines(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(strings.ReplaceAll(l, "\u3000", "")) != "" {
			n++
		}
	}
	return n
}

func utf16LE(s string) []byte {
	var b []byte
	for _, r := range s {
		if r > 0xFFFF {
			panic("test text is in the BMP")
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func utf16BE(s string) []byte {
	b := utf16LE(s)
	for i := 0; i+1 < len(b); i += 2 {
		b[i], b[i+1] = b[i+1], b[i]
	}
	return b
}

// makeZip builds a zip archive from path → content.
func makeZip(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(parts)) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzRead feeds arbitrary bytes under each kind of name: Read must not
// panic or hang, and what it returns must be valid UTF-8 or a classified
// error.
func FuzzRead(f *testing.F) {
	f.Add("plan.txt", []byte("一、稳住经济基本盘\n全县地区生产总值增长6.5%左右。"))
	f.Add("plan.txt", []byte("\xEF\xBB\xBF实施城乡融合战略\r\n"))
	f.Add("plan.txt", []byte("\xd2\xbb\xa1\xa2\xce\xc8\xd7\xa1")) // GB18030
	f.Add("plan.txt", []byte{0xFF, 0xFE, 0x00, 0x4E, 0x01, 0x4E})
	f.Add("page.html", []byte(`<meta charset="gbk"><p>&nbsp;年内&#x65b0;建</p>`))
	f.Add("plan.pdf", []byte("%PDF-1.4"))
	f.Add("plan.docx", []byte("PK\x03\x04\x14\x00"))
	for _, path := range []string{"testdata/read/gb18030.txt", "testdata/read/page.html", "testdata/read/plan.docx"} {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(filepath.Base(path), data)
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		text, err := Read(name, data)
		if err != nil {
			if !isReadError(err) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("Read returned invalid UTF-8 %q", text)
		}
		if n := Normalize(text); !utf8.ValidString(n) {
			t.Fatalf("Normalize returned invalid UTF-8 %q", n)
		}
	})
}

func isReadError(err error) bool {
	for _, e := range []error{ErrEmpty, ErrBinary, ErrUnsupported, ErrDamaged, ErrTooLarge} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// readBenchText is about 60,000 characters of plan text: the seed plan repeated,
// the size of a long city work report.
func readBenchText(b *testing.B) string {
	b.Helper()
	seed, err := os.ReadFile("../seed/xiaodian-2021-plan.txt")
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for utf8.RuneCountInString(sb.String()) < 60000 {
		sb.Write(seed)
	}
	return sb.String()
}

// BenchmarkRead measures each reader on the same ~60,000-character plan.
// MB/s counts the plan's text in UTF-8, not the input bytes, so that the
// formats compare per document (a .docx is a few kilobytes of zip).
func BenchmarkRead(b *testing.B) {
	text := readBenchText(b)
	lines := strings.Split(text, "\n")
	var body, paras strings.Builder
	for _, l := range lines {
		body.WriteString("<w:p><w:r><w:t>" + l + "</w:t></w:r></w:p>")
		paras.WriteString("<p>" + l + "</p>\n")
	}
	inputs := []struct {
		name, file string
		data       []byte
	}{
		{"utf8", "plan.txt", []byte(text)},
		{"gb18030", "plan.txt", gbk(b, text)},
		{"docx", "plan.docx", makeDOCX(b, body.String(), nil)},
		{"html", "plan.html", []byte(page(`<div class="content">` + paras.String() + `</div>`))},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := Read(in.file, in.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
