package extract

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Plans reach us as UTF-8 (with or without a byte-order mark), as UTF-16 from
// Windows Notepad's "Unicode" setting (always with a mark), and very often as
// GB18030 or its subsets GBK and GB2312, the default of Chinese Windows and of
// many government web sites. A file names its encoding only by a mark or, in
// HTML, a declaration, and declarations lie, so decodeText trusts bytes over
// labels: a mark first, then valid UTF-8, then a declared multi-byte charset
// that decodes cleanly, then GB18030.

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// errNotText explains why bytes could not be decoded; readers wrap it as
// ErrBinary.
const errNotText = "the file is not text in UTF-8, UTF-16 or GB18030 (GBK/GB2312); save it as UTF-8 text or .docx"

// decodeText returns data as UTF-8. declared is a charset label the document
// gives for itself (an HTML meta tag, an XML declaration) or "".
func decodeText(data []byte, declared string) (string, error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return decodeWith(data[len(bomUTF8):], nil)
	case bytes.HasPrefix(data, bomUTF16LE):
		return decodeWith(data[2:], xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM))
	case bytes.HasPrefix(data, bomUTF16BE):
		return decodeWith(data[2:], xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM))
	}
	if bytes.IndexByte(data, 0) >= 0 {
		// Without a mark, NUL bytes mean an image, an archive or an
		// executable, never a plan typed in UTF-8 or GB18030.
		return "", readFail(ErrBinary, "the file holds NUL bytes, so it is not a text document (UTF-16 text needs its byte-order mark; save it as UTF-8)")
	}
	if utf8.Valid(data) {
		return checkText(string(data), 0)
	}
	if enc, gbLike := declaredEncoding(declared); enc != nil {
		s := decodeBytes(data, enc)
		bad := strings.Count(s, "\uFFFD")
		if bad == 0 && !(isLatinDefault(declared) && !gbLike && looksGB18030(data)) {
			return checkText(s, 0)
		}
	}
	// Neither valid UTF-8 nor a trustworthy label: take whichever of UTF-8
	// and GB18030 reads with fewer broken sequences. A UTF-8 file cut off in
	// the middle of a character has one; a GBK file read as UTF-8 has one for
	// nearly every character.
	gb := decodeBytes(data, simplifiedchinese.GB18030)
	gbBad := strings.Count(gb, "\uFFFD")
	utfBad := invalidUTF8(data)
	if utfBad < gbBad {
		return checkText(strings.ToValidUTF8(string(data), "\uFFFD"), utfBad)
	}
	return checkText(gb, gbBad)
}

// decodeWith decodes data with enc (nil for UTF-8) and checks the result.
func decodeWith(data []byte, enc encoding.Encoding) (string, error) {
	if enc == nil {
		return checkText(strings.ToValidUTF8(string(data), "\uFFFD"), invalidUTF8(data))
	}
	s := decodeBytes(data, enc)
	return checkText(s, strings.Count(s, "\uFFFD"))
}

// decodeBytes decodes with enc; x/text decoders replace what they cannot
// read with U+FFFD rather than fail, which is what lets us count the damage.
func decodeBytes(data []byte, enc encoding.Encoding) string {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		// Only a transformer's internal failure gets here; read it as UTF-8
		// with replacements so the count in checkText rejects it.
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

// checkText rejects decoded text that is damaged or mostly control
// characters. A few broken sequences are allowed (a file cut off mid-
// character, one bad byte in a long text) and stay visible as U+FFFD: the
// reviewer sees the damage instead of losing the sentence around it.
func checkText(s string, broken int) (string, error) {
	runes, controls := 0, 0
	for _, r := range s {
		runes++
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' && r != '\v' && r != 0x1B {
			controls++
		}
	}
	if broken > 0 && broken*200 > runes+200 {
		return "", readFail(ErrBinary, errNotText)
	}
	if controls*50 > runes {
		return "", readFail(ErrBinary, "the file is mostly control characters, so it is not a text document")
	}
	return s, nil
}

// invalidUTF8 counts the bytes that do not begin a valid UTF-8 sequence.
func invalidUTF8(data []byte) int {
	n := 0
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			n++
		}
		data = data[size:]
	}
	return n
}

// declaredEncoding resolves a charset label. Every label of the GB family
// maps to GB18030, their common superset, because sites that say "gb2312"
// routinely serve characters only GBK or GB18030 has. gbLike reports a
// multi-byte Chinese label.
func declaredEncoding(label string) (enc encoding.Encoding, gbLike bool) {
	label = strings.ToLower(strings.TrimSpace(strings.Trim(label, `"'`)))
	if label == "" {
		return nil, false
	}
	switch label {
	case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "csgb2312", "chinese", "euc-cn", "iso-ir-58", "gb_2312-80":
		return simplifiedchinese.GB18030, true
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, false
	}
	switch name, _ := htmlindex.Name(enc); name {
	case "utf-8":
		// Valid UTF-8 was taken before labels are consulted, so a UTF-8
		// label on invalid bytes is a lie.
		return nil, false
	case "utf-16le", "utf-16be":
		// Bytes that reach the label have no byte-order mark and no
		// NULs, so they are not UTF-16 whatever the page says (HTML
		// itself reads a UTF-16 meta tag as UTF-8).
		return nil, false
	}
	return enc, false
}

// isLatinDefault reports the labels that content systems write when nobody
// chose an encoding (the web's windows-1252 default), which say nothing
// about a page that is in fact GBK.
func isLatinDefault(label string) bool {
	enc, err := htmlindex.Get(strings.ToLower(strings.TrimSpace(label)))
	if err != nil {
		return false
	}
	name, _ := htmlindex.Name(enc)
	return name == "windows-1252" || name == "iso-8859-1" || name == "us-ascii"
}

// looksGB18030 reports bytes that decode as GB18030 without damage into
// text whose non-ASCII characters are mostly Chinese. Latin-1 prose fails
// this: an accented letter before a space or full stop is not a GBK pair.
func looksGB18030(data []byte) bool {
	s := decodeBytes(data, simplifiedchinese.GB18030)
	if strings.ContainsRune(s, utf8.RuneError) {
		return false
	}
	wide, other := 0, 0
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
		case unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || r == '“' || r == '”':
			wide++
		default:
			other++
		}
	}
	return wide > 0 && other*10 <= wide
}
