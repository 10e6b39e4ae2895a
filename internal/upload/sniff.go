package upload

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/duban-org/duban/internal/fault"
)

// Kind is one type of file that may be attached to a report.
type Kind struct {
	Name        string   // short name for messages: "PDF", "Word (.docx)"
	ContentType string   // what the file is served as
	Extensions  []string // the endings its name may have, lower case with the dot
}

// The allow-list. The old binary Office formats (.doc, .xls) are not on it:
// their container (OLE2) also carries macros and other programs, and telling
// a harmless one from the rest takes a parser of its own; every office suite
// in use saves .docx and .xlsx.
var (
	KindPDF  = Kind{"PDF", "application/pdf", []string{".pdf"}}
	KindDOCX = Kind{"Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []string{".docx"}}
	KindXLSX = Kind{"Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []string{".xlsx"}}
	KindPNG  = Kind{"PNG image", "image/png", []string{".png"}}
	KindJPEG = Kind{"JPEG image", "image/jpeg", []string{".jpg", ".jpeg"}}
	KindText = Kind{"text (UTF-8)", "text/plain; charset=utf-8", []string{".txt", ".csv"}}
	// KindTextGB is plain text in GB18030 (and so GBK and GB2312), which
	// many government offices' computers still save by default.
	KindTextGB = Kind{"text (GB18030)", "text/plain; charset=gb18030", []string{".txt", ".csv"}}
)

// Allowed lists every kind Sniff accepts.
var Allowed = []Kind{KindPDF, KindDOCX, KindXLSX, KindPNG, KindJPEG, KindText, KindTextGB}

// allowedNames is the allow-list for error messages.
const allowedNames = "PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or plain text (.txt)"

// Limits that keep sniffing itself cheap whatever the file claims.
const (
	maxZipEntries      = 10000
	maxContentTypesXML = 1 << 20
)

// Sniff decides what a file is from its content alone, never from its name,
// and returns an error wrapping fault.ErrInvalid for anything not on the
// allow-list: executables, HTML, scripts, archives, macro-enabled Office
// files, empty files, text in an unknown encoding.
func Sniff(r io.ReaderAt, size int64) (Kind, error) {
	if size <= 0 {
		return Kind{}, invalid("the file is empty")
	}
	head := make([]byte, 512)
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return Kind{}, fmt.Errorf("upload: read: %w", err)
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return KindPDF, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		// The first chunk of every PNG is its header, IHDR.
		if len(head) < 16 || string(head[12:16]) != "IHDR" {
			return Kind{}, invalid("the file starts like a PNG image but is not one")
		}
		return KindPNG, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return KindJPEG, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffOOXML(r, size)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return Kind{}, invalid("old Office formats (.doc, .xls) are not accepted: save the file as .docx or .xlsx")
	case bytes.HasPrefix(head, []byte("MZ")), bytes.HasPrefix(head, []byte("\x7fELF")):
		return Kind{}, invalid("the file is a program, not a document")
	}
	// What is left may only be plain text. DetectContentType knows the
	// markup a browser would run (HTML, XML, SVG) and the common binaries.
	switch ct := http.DetectContentType(head); {
	case strings.HasPrefix(ct, "text/html"), strings.HasPrefix(ct, "text/xml"):
		return Kind{}, invalid("the file is a web page or markup, not a document")
	case !strings.HasPrefix(ct, "text/plain"):
		return Kind{}, invalid(fmt.Sprintf("the file's content is %s, which is not accepted", ct))
	}
	return sniffText(r, size)
}

// sniffOOXML tells a Word or Excel file from other zip archives by the parts
// every such file has, and refuses the macro-enabled variants (.docm,
// .xlsm), which may be renamed to .docx but carry programs.
func sniffOOXML(r io.ReaderAt, size int64) (Kind, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return Kind{}, invalid("the file starts like a zip archive (.docx, .xlsx) but is damaged")
	}
	if len(zr.File) > maxZipEntries {
		return Kind{}, invalid("the archive has too many parts to be a document")
	}
	var types *zip.File
	var word, excel bool
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		switch {
		case name == "[content_types].xml":
			types = f
		case name == "word/document.xml":
			word = true
		case name == "xl/workbook.xml":
			excel = true
		case strings.HasSuffix(name, "vbaproject.bin"):
			return Kind{}, invalid("the file contains macros (a .docm or .xlsm); save it without macros as .docx or .xlsx")
		}
	}
	if types == nil || word == excel {
		return Kind{}, invalid("the file is a zip archive but not a Word (.docx) or Excel (.xlsx) document")
	}
	rc, err := types.Open()
	if err != nil {
		return Kind{}, invalid("the document's [Content_Types].xml cannot be read")
	}
	defer rc.Close()
	ct, err := io.ReadAll(io.LimitReader(rc, maxContentTypesXML))
	if err != nil {
		return Kind{}, invalid("the document's [Content_Types].xml is damaged")
	}
	if bytes.Contains(bytes.ToLower(ct), []byte("macroenabled")) {
		return Kind{}, invalid("the file is macro-enabled (a .docm or .xlsm); save it without macros as .docx or .xlsx")
	}
	if word {
		return KindDOCX, nil
	}
	return KindXLSX, nil
}

// sniffText accepts UTF-8 or GB18030 text without control characters other
// than tab, line and page breaks.
func sniffText(r io.ReaderAt, size int64) (Kind, error) {
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
		return Kind{}, fmt.Errorf("upload: read: %w", err)
	}
	text := bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	kind := KindText
	if !utf8.Valid(text) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(decoded, utf8.RuneError) {
			return Kind{}, invalid("the text is neither UTF-8 nor GB18030")
		}
		text, kind = decoded, KindTextGB
	}
	for _, c := range text {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f {
			return Kind{}, invalid("the file has control characters, so it is not plain text")
		}
	}
	// DetectContentType only sees markup at the very start. Older browsers
	// and some download tools look further, so a "text" file carrying
	// markup that would run anywhere in it is refused as well; a progress
	// narrative has no use for these tags.
	lower := bytes.ToLower(text)
	for _, tag := range markupTags {
		if bytes.Contains(lower, []byte(tag)) {
			return Kind{}, invalid(fmt.Sprintf("the text contains web page markup (%s…)", tag))
		}
	}
	return kind, nil
}

// markupTags are the openings that make a browser treat text as a page.
var markupTags = []string{"<script", "<html", "<iframe", "<svg", "<object", "<embed", "<body", "<!doctype html", "<meta", "javascript:"}

// invalid is a refusal the uploader can act on.
func invalid(why string) error {
	return fmt.Errorf("upload refused: %s (accepted: %s): %w", why, allowedNames, fault.ErrInvalid)
}
