package upload

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/duban-org/duban/internal/fault"
)

// timeZero tells http.ServeContent there is no modification time: the
// content of a hash never changes, the ETag says all.
var timeZero time.Time

// MaxNameBytes bounds a cleaned file name: most file systems allow 255
// bytes, and a Chinese character takes three.
const MaxNameBytes = 255

// CleanName turns the name a browser sent into one safe to store and show:
// the last path element only (browsers on Windows send C:\…\file), no
// control or format characters (which can hide a real extension, such as
// the right-to-left override), trimmed spaces and dots, at most
// MaxNameBytes bytes with the extension kept. A name with nothing left is
// fault.ErrInvalid.
func CleanName(name string) (string, error) {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		if r == '"' || r == ':' || r == '*' || r == '?' || r == '<' || r == '>' || r == '|' {
			return '_' // not allowed in Windows names, where these files end up
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.Trim(strings.TrimSpace(name), "."))
	if name == "" {
		return "", fmt.Errorf("upload refused: the file has no usable name: %w", fault.ErrInvalid)
	}
	if len(name) > MaxNameBytes {
		ext := filepath.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		stem := name[:len(name)-len(ext)]
		cut := MaxNameBytes - len(ext)
		for cut > 0 && !utf8.RuneStart(stem[cut]) {
			cut--
		}
		name = stem[:cut] + ext
	}
	return name, nil
}

// ContentDisposition is the header value that makes a browser download a
// file under name: an ASCII filename for old clients and a UTF-8 filename*
// (RFC 6266, RFC 8187) that modern browsers use for Chinese names.
func ContentDisposition(name string) string {
	clean, err := CleanName(name)
	if err != nil {
		clean = "attachment"
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, asciiFallback(clean), encodeRFC8187(clean))
}

// asciiFallback keeps the safe ASCII of a name and its extension:
// "2021年一季度进展.pdf" becomes "2021.pdf", a name of only Chinese
// "attachment.pdf".
func asciiFallback(name string) string {
	ext := filepath.Ext(name)
	if !isASCIIToken(ext) {
		ext = ""
	}
	stem := strings.TrimSuffix(name, ext)
	var b strings.Builder
	lastUnderscore := false
	for _, r := range stem {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' || r == ' ') {
			b.WriteRune(r)
			lastUnderscore = false
		} else if !lastUnderscore {
			b.WriteByte('_')
			lastUnderscore = true
		}
	}
	s := strings.Trim(b.String(), "_ .")
	if s == "" {
		s = "attachment"
	}
	return s + ext
}

func isASCIIToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// encodeRFC8187 percent-encodes everything outside RFC 8187's attr-char.
func encodeRFC8187(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
