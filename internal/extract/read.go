package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"path/filepath"
	"strings"
)

// Errors a reader returns, always wrapped with the file name and a sentence
// that tells the person what to do. The CLI exits 1 on any of them; the web
// layer can map them to a message with errors.Is.
var (
	// ErrBinary is returned for a file that is not text at all: an image,
	// an archive, an executable, or bytes in no encoding we read.
	ErrBinary = errors.New("extract: not a text document")
	// ErrUnsupported is returned for a document format we recognise but do
	// not read (PDF, Word 97-2003 .doc, WPS, OFD, spreadsheets, RTF).
	ErrUnsupported = errors.New("extract: document format not supported")
	// ErrDamaged is returned for a .docx whose archive or XML is broken.
	ErrDamaged = errors.New("extract: the document is damaged")
	// ErrTooLarge is returned for a .docx that unpacks to more than
	// maxDOCXPart bytes, the mark of a zip bomb rather than a plan.
	ErrTooLarge = errors.New("extract: the document is too large")
)

// readError carries a sentence for the person who supplied the file and the
// sentinel that classifies it.
type readError struct {
	name   string
	reason string
	kind   error
}

func (e *readError) Error() string {
	if e.name == "" {
		return e.reason
	}
	return e.name + ": " + e.reason
}

func (e *readError) Unwrap() error { return e.kind }

// readFail builds a readError; Read adds the file name.
func readFail(kind error, reason string) error {
	return &readError{reason: reason, kind: kind}
}

// Read decodes a document into plain text, one paragraph per line. It looks
// at the content first, because people rename files and save web pages as
// .txt, and uses the name's extension only to settle what the content leaves
// open (an HTML fragment with no <html> tag). It reads plain text (UTF-8,
// UTF-16 with a byte-order mark, GB18030/GBK/GB2312), .docx and HTML, and
// refuses everything else with an error that wraps ErrEmpty, ErrBinary,
// ErrUnsupported, ErrDamaged or ErrTooLarge and names the file.
func Read(name string, data []byte) (string, error) {
	text, err := read(name, data)
	if err == nil && strings.TrimSpace(text) == "" {
		err = readFail(ErrEmpty, "the document has no text")
	}
	if err != nil {
		var re *readError
		if errors.As(err, &re) {
			re.name = name
			return "", re
		}
		return "", &readError{name: name, reason: err.Error(), kind: ErrDamaged}
	}
	return text, nil
}

// read dispatches on the content, then the extension.
func read(name string, data []byte) (string, error) {
	if len(data) == 0 {
		return "", readFail(ErrEmpty, "the file is empty")
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")) {
		return readZip(data)
	}
	if reason, kind := sniffBinary(data); kind != nil {
		return "", readFail(kind, reason)
	}
	ext := strings.ToLower(filepath.Ext(name))
	// UTF-16 must be decoded before we can look for tags in it.
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		s, err := decodeText(data, "")
		if err != nil {
			return "", err
		}
		if looksHTML([]byte(s), ext) {
			return readHTMLText(s)
		}
		return s, nil
	}
	if looksHTML(data, ext) {
		return readHTML(data)
	}
	return decodeText(data, "")
}

// readZip reads a .docx and names the other zip-based formats people send.
func readZip(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", readFail(ErrDamaged, "the file starts like a .docx (a zip archive) but cannot be opened: "+err.Error())
	}
	has := func(path string) bool {
		for _, f := range zr.File {
			if strings.EqualFold(f.Name, path) {
				return true
			}
		}
		return false
	}
	switch {
	case has("word/document.xml"):
		return readDOCX(zr)
	case has("xl/workbook.xml"):
		return "", readFail(ErrUnsupported, "an Excel workbook is not a plan document; save the plan as .docx or .txt")
	case has("ppt/presentation.xml"):
		return "", readFail(ErrUnsupported, "PowerPoint is not supported, save it as .docx or .txt")
	case has("OFD.xml"):
		return "", readFail(ErrUnsupported, "OFD is not supported, save it as .docx or .txt")
	case has("content.xml") && has("mimetype"):
		return "", readFail(ErrUnsupported, "OpenDocument (.odt) is not supported, save it as .docx or .txt")
	}
	return "", readFail(ErrUnsupported, "a zip archive that is not a .docx; unpack it and give the plan as .docx or .txt")
}

// binarySignature is the start of a binary format and what to tell the user.
type binarySignature struct {
	magic  string
	kind   error
	reason string
}

var binarySignatures = []binarySignature{
	{"%PDF-", ErrUnsupported, "PDF is not supported, save it as .docx or .txt"},
	{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", ErrUnsupported, "Word 97-2003 (.doc), WPS or password-protected files are not supported, save it as .docx or .txt"},
	{"{\\rtf", ErrUnsupported, "RTF is not supported, save it as .docx or .txt"},
	{"\x89PNG\r\n\x1A\n", ErrBinary, "a PNG image is not a text document; a scanned plan must be typed or OCRed first"},
	{"\xFF\xD8\xFF", ErrBinary, "a JPEG image is not a text document; a scanned plan must be typed or OCRed first"},
	{"GIF87a", ErrBinary, "a GIF image is not a text document"},
	{"GIF89a", ErrBinary, "a GIF image is not a text document"},
	{"II*\x00", ErrBinary, "a TIFF image is not a text document; a scanned plan must be typed or OCRed first"},
	{"MM\x00*", ErrBinary, "a TIFF image is not a text document; a scanned plan must be typed or OCRed first"},
	{"\x1F\x8B", ErrBinary, "a gzip archive is not a text document; unpack it first"},
	{"Rar!\x1A\x07", ErrBinary, "a RAR archive is not a text document; unpack it first"},
	{"7z\xBC\xAF\x27\x1C", ErrBinary, "a 7-Zip archive is not a text document; unpack it first"},
	{"\x7FELF", ErrBinary, "a program is not a text document"},
}

// sniffBinary names a binary format by its first bytes.
func sniffBinary(data []byte) (string, error) {
	for _, s := range binarySignatures {
		if bytes.HasPrefix(data, []byte(s.magic)) {
			return s.reason, s.kind
		}
	}
	if len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP" {
		return "a WebP image is not a text document", ErrBinary
	}
	// A PDF may carry a few bytes of junk before its header.
	if bytes.Contains(headBytes(data, 1024), []byte("%PDF-")) {
		return "PDF is not supported, save it as .docx or .txt", ErrUnsupported
	}
	h := bytes.ToLower(headBytes(data, 512))
	if bytes.HasPrefix(h, []byte("mime-version:")) && bytes.Contains(h, []byte("multipart/related")) {
		return "a web archive (.mht) is not supported, save the page as .html", ErrUnsupported
	}
	return "", nil
}

// headBytes returns at most n leading bytes of data.
func headBytes(data []byte, n int) []byte {
	if len(data) > n {
		return data[:n]
	}
	return data
}

// looksHTML reports content that is an HTML page. Strong markers decide on
// their own; a bare fragment that starts with a tag counts only under an
// HTML file name.
func looksHTML(data []byte, ext string) bool {
	h := bytes.TrimLeft(bytes.TrimPrefix(headBytes(data, 4096), bomUTF8), " \t\r\n\f")
	if len(h) == 0 || h[0] != '<' {
		return false
	}
	lower := bytes.ToLower(h)
	markers := [][]byte{[]byte("<!doctype html"), []byte("<html"), []byte("<head"), []byte("<body"), []byte("<meta "), []byte("<title")}
	// A page may open with a comment or an XML declaration before its tags.
	preamble := bytes.HasPrefix(lower, []byte("<!--")) || bytes.HasPrefix(lower, []byte("<?xml"))
	for _, m := range markers {
		if bytes.HasPrefix(lower, m) || preamble && bytes.Contains(lower, m) {
			return true
		}
	}
	switch ext {
	case ".html", ".htm", ".shtml", ".xhtml", ".asp", ".aspx", ".php", ".jsp":
		return true
	}
	return false
}
