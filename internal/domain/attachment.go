// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Attachment is a file kept with a case: a scanned document, a photo, a
// signed consent form. Its name and content are personal data, sealed at
// rest with the case's key; nothing derived from the content is stored
// except its size (a hash would let anyone holding a copy of a file
// confirm that it is in the database).
type Attachment struct {
	ID          string    `json:"id"`
	CaseID      string    `json:"case_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"` // user ID, or "cli:USER" / "system"
}

// MaxAttachmentBytes bounds one file: a scanned multi-page document fits,
// and a request cannot make the server hold much more in memory.
const MaxAttachmentBytes = 10 << 20

// MaxAttachmentNameBytes bounds a cleaned file name (most file systems
// stop at 255 bytes; the rest is margin for a browser's " (1)" suffix).
const MaxAttachmentNameBytes = 200

// attachmentTypes is the allow-list: formats caseworkers need (scans,
// photos, notes) that browsers never run as code. HTML, SVG, and office
// documents with macros are left out on purpose.
var attachmentTypes = []string{"application/pdf", "image/jpeg", "image/png", "image/webp", "text/plain"}

// AttachmentTypes returns the accepted content types.
func AttachmentTypes() []string { return append([]string(nil), attachmentTypes...) }

// mediaType is a Content-Type without its parameters, lower case:
// "Text/Plain; charset=utf-8" → "text/plain".
func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// AllowedAttachmentType reports whether the media type of ct (parameters
// ignored) is on the allow-list.
func AllowedAttachmentType(ct string) bool {
	mt := mediaType(ct)
	for _, t := range attachmentTypes {
		if t == mt {
			return true
		}
	}
	return false
}

// CheckAttachmentType refuses a declared type outside the allow-list, and
// a content whose sniffed type (net/http.DetectContentType, passed by the
// HTTP layer so that the domain does not depend on net/http) is not the
// declared one: a PDF sent as photo.jpg with image/jpeg, or HTML sent as
// text/plain, is refused rather than stored under a type it is not.
func CheckAttachmentType(declared, sniffed string) error {
	var p Problems
	d, s := mediaType(declared), mediaType(sniffed)
	switch {
	case d == "":
		p.Add("content_type", "validation.required",
			"indiquez le type du fichier (en-tête Content-Type) / give the file's type (Content-Type header); accepted: %s", strings.Join(attachmentTypes, ", "))
	case !AllowedAttachmentType(d):
		return refusedType(d)
	case s != d:
		p.Add("content_type", "validation.file_type_mismatch",
			"le contenu du fichier est de type %q, pas %q comme déclaré / the file's content is %q, not %q as declared", s, d, s, d)
	}
	return p.Err()
}

// ValidateAttachment checks what a store is asked to keep and returns the
// cleaned name and the bare media type ("text/plain", without
// parameters). The store cannot sniff (that is the HTTP layer's job), but
// it refuses a type outside the allow-list, an empty file and one over
// the limit whoever calls it.
func ValidateAttachment(name, contentType string, size int64) (cleanName, mediaTyp string, err error) {
	if size > MaxAttachmentBytes {
		return "", "", tooLarge(size)
	}
	var p Problems
	cleanName, err = CleanAttachmentName(name)
	if err != nil {
		p = append(p, FieldErrors(err)...)
	}
	mediaTyp = mediaType(contentType)
	if !AllowedAttachmentType(mediaTyp) {
		if mediaTyp == "" || len(p) > 0 {
			p = append(p, FieldErrors(refusedType(mediaTyp))...)
		} else {
			return "", "", refusedType(mediaTyp)
		}
	}
	if size <= 0 {
		p.Add("file", "validation.required", "le fichier est vide / the file is empty")
	}
	if err := p.Err(); err != nil {
		return "", "", err
	}
	return cleanName, mediaTyp, nil
}

// AttachmentTooLarge is the error for a file over MaxAttachmentBytes;
// size is what is known of it (0 when it was cut off while reading).
func AttachmentTooLarge(size int64) error { return tooLarge(size) }

func tooLarge(size int64) *Error {
	if size > 0 {
		return Errorf(KindTooLarge, "le fichier fait %d octets, la limite est 10 Mio (%d octets) / the file is %d bytes, the limit is 10 MiB (%d bytes)",
			size, MaxAttachmentBytes, size, MaxAttachmentBytes)
	}
	return Errorf(KindTooLarge, "le fichier dépasse la limite de 10 Mio (%d octets) / the file is larger than the limit of 10 MiB (%d bytes)",
		MaxAttachmentBytes, MaxAttachmentBytes)
}

// windowsReserved are the device names Windows will not open as files,
// whatever the extension ("CON.pdf" opens the console). Superscript
// digits count as digits there too.
var windowsReserved = func() map[string]bool {
	m := map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true}
	for _, d := range []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³"} {
		m["COM"+d], m["LPT"+d] = true, true
	}
	return m
}()

// CleanAttachmentName makes an uploaded file's name safe to store and to
// offer back for download. The name comes from a client and will end up
// in a Content-Disposition header and on a caseworker's disk, so:
//
//   - only the base name is kept: everything up to the last '/' or '\'
//     is dropped, so "../../etc/passwd" becomes "passwd" and an old
//     browser's "C:\Users\x\scan.pdf" becomes "scan.pdf" (a path is
//     never the user's intent, and no name can climb out of a folder);
//   - invalid UTF-8, control characters (NUL included), line separators
//     and bidirectional overrides are refused anywhere in the input,
//     never silently removed ("invoice\u202Efdp.exe" displays as
//     "invoiceexe.pdf");
//   - surrounding spaces, and dots at the end, are trimmed (Windows
//     drops them when saving anyway);
//   - "", "." and "..", names starting with a dot (hidden files such as
//     .htaccess), names over MaxAttachmentNameBytes bytes and Windows
//     device names (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with any
//     extension) are refused.
//
// Letters of every script, spaces and punctuation inside the name are
// kept: "Déclaration de Mbuyi (signée).pdf" and "إفادة.pdf" are fine.
// Characters such as < > : " | ? * are kept too: the name is only ever
// sent percent-encoded as an attachment, and browsers replace what the
// user's file system forbids.
func CleanAttachmentName(name string) (string, error) {
	fail := func(code, format string, args ...any) (string, error) {
		var p Problems
		p.Add("name", code, format, args...)
		return "", p.Err()
	}
	if !utf8.ValidString(name) {
		return fail("validation.encoding", "le nom du fichier n'est pas de l'UTF-8 valide / the file name is not valid UTF-8")
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || unicode.In(r, unicode.Zl, unicode.Zp) || r == '\uFEFF' {
			return fail("validation.control_character",
				"le nom du fichier contient un caractère de contrôle (U+%04X) / the file name contains a control character (U+%04X)", r, r)
		}
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if name == "." || name == ".." {
		return fail("validation.file_name", "%q n'est pas un nom de fichier / %q is not a file name", name, name)
	}
	name = strings.TrimLeftFunc(name, unicode.IsSpace)
	name = strings.TrimRightFunc(name, func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
	if name == "" {
		return fail("validation.required", "donnez un nom de fichier / give a file name")
	}
	if name[0] == '.' {
		return fail("validation.file_name", "le nom du fichier ne peut pas commencer par un point / the file name may not start with a dot")
	}
	if len(name) > MaxAttachmentNameBytes {
		return fail("validation.too_long", "le nom du fichier dépasse %d octets / the file name is longer than %d bytes", MaxAttachmentNameBytes, MaxAttachmentNameBytes)
	}
	stem, _, _ := strings.Cut(name, ".")
	if windowsReserved[strings.ToUpper(strings.TrimRightFunc(stem, unicode.IsSpace))] {
		return fail("validation.file_name", "%q est un nom réservé par Windows / %q is a name reserved by Windows", stem, stem)
	}
	return name, nil
}

// refusedType is the answer to a file of a type outside the allow-list:
// an unsupported media type (HTTP 415), on the field content_type, as a
// JSON body sent as another type is.
func refusedType(d string) error {
	return &Error{Kind: KindMediaType, Message: "unsupported media type", Fields: []FieldError{{Field: "content_type", Code: "validation.file_type",
		Message: fmt.Sprintf("le type %q n'est pas accepté / type %q is not accepted; accepted: %s", d, d, strings.Join(attachmentTypes, ", "))}}}
}
