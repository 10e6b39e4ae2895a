// Package upload keeps the files units attach to their progress reports.
// Attachments come from outside and are later opened on office computers,
// so nothing about them is trusted: the size is capped while reading, the
// type is decided from the content against an allow-list (a program renamed
// .pdf is refused), the name is cleaned, and the file is stored under the
// SHA-256 of its content in a folder no web server serves, then sent back
// only as a download with the type it was found to be.
//
// A file is written to a temporary name first and renamed into place when
// it has passed every check, so a refused, oversized or aborted upload
// leaves nothing behind.
package upload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/duban-org/duban/internal/delivery"
	"github.com/duban-org/duban/internal/fault"
)

// Store is a content-addressed folder of attachments:
// DIR/ab/cd/abcd…(64 hex digits). Temporary files live in DIR/tmp.
type Store struct {
	dir      string
	maxBytes int64
}

// NewStore opens (creating if needed) the attachment folder dir, accepting
// files of at most maxBytes. The folder is private to duban's user.
func NewStore(dir string, maxBytes int64) (*Store, error) {
	if dir == "" {
		return nil, errors.New("upload: no attachment folder given")
	}
	if maxBytes <= 0 {
		return nil, fmt.Errorf("upload: size limit %d: must be positive", maxBytes)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(abs, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("upload: attachment folder: %w", err)
	}
	return &Store{dir: abs, maxBytes: maxBytes}, nil
}

// MaxBytes is the largest file Put accepts.
func (s *Store) MaxBytes() int64 { return s.maxBytes }

// Put reads one uploaded file named name from r, checks it and stores it.
// It returns the attachment record: the content hash, the cleaned name, the
// sniffed type and the size. Errors: fault.ErrInvalid for a refused file
// or name, *http.MaxBytesError (wrapped) for one over the limit, ctx's error
// when the upload is abandoned. In every error case nothing is stored.
func (s *Store) Put(ctx context.Context, name string, r io.Reader) (delivery.Attachment, error) {
	clean, err := CleanName(name)
	if err != nil {
		return delivery.Attachment{}, err
	}
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "put-*")
	if err != nil {
		return delivery.Attachment{}, fmt.Errorf("upload: %w", err)
	}
	kept := false
	defer func() {
		if !kept {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, r}, s.maxBytes+1))
	if err != nil {
		return delivery.Attachment{}, fmt.Errorf("upload %q: reading the file: %w", clean, err)
	}
	if n > s.maxBytes {
		return delivery.Attachment{}, fmt.Errorf("upload %q: the file is larger than %d bytes: %w", clean, s.maxBytes, &http.MaxBytesError{Limit: s.maxBytes})
	}
	kind, err := Sniff(tmp, n)
	if err != nil {
		return delivery.Attachment{}, fmt.Errorf("%q: %w", clean, err)
	}
	if !kind.matches(clean) {
		return delivery.Attachment{}, fmt.Errorf("%q: %w", clean,
			invalid(fmt.Sprintf("the file is %s but its name ends otherwise; name it …%s", kind.Name, kind.Extensions[0])))
	}
	if err := tmp.Sync(); err != nil {
		return delivery.Attachment{}, fmt.Errorf("upload: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return delivery.Attachment{}, fmt.Errorf("upload: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	final := s.path(sum)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return delivery.Attachment{}, fmt.Errorf("upload: %w", err)
	}
	// The same content uploaded twice is stored once; rename over an
	// identical file is harmless, and atomic either way.
	if err := os.Rename(tmp.Name(), final); err != nil {
		return delivery.Attachment{}, fmt.Errorf("upload: store %s: %w", sum, err)
	}
	kept = true
	return delivery.Attachment{SHA256: sum, Name: clean, ContentType: kind.ContentType, Size: n}, nil
}

// Open opens a stored file by its hash. A hash not of the form 64 lower-case
// hex digits is fault.ErrInvalid, so no path can be smuggled in; an unknown
// one is fault.ErrNotFound.
func (s *Store) Open(sha string) (io.ReadSeekCloser, error) {
	if !validHash(sha) {
		return nil, fmt.Errorf("attachment %.80q: not a SHA-256 in hex: %w", sha, fault.ErrInvalid)
	}
	f, err := os.Open(s.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("attachment %s: %w", sha, fault.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("upload: open %s: %w", sha, err)
	}
	return f, nil
}

func (s *Store) path(sha string) string {
	return filepath.Join(s.dir, sha[0:2], sha[2:4], sha)
}

func validHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// matches reports whether a file name's ending fits the kind.
func (k Kind) matches(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range k.Extensions {
		if ext == e {
			return true
		}
	}
	return false
}

// ctxReader stops reading when the request is abandoned, so a client that
// goes away mid-upload does not keep a temporary file growing.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// ServeAttachment sends a stored file as a download: Content-Disposition
// attachment with the original name (RFC 6266, filename* for Chinese
// names), the type sniffed on upload, nosniff, and a sandbox policy so that
// a browser never runs it as a page. Ranges and conditional requests work
// (the hash is the ETag).
func ServeAttachment(w http.ResponseWriter, r *http.Request, att delivery.Attachment, f io.ReadSeeker) {
	h := w.Header()
	ct := "application/octet-stream"
	for _, k := range Allowed {
		if att.ContentType == k.ContentType {
			ct = k.ContentType
		}
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", ContentDisposition(att.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-cache")
	if validHash(att.SHA256) {
		h.Set("ETag", `"`+att.SHA256+`"`)
	}
	http.ServeContent(w, r, "", timeZero, f)
}
