// SPDX-License-Identifier: AGPL-3.0-or-later

package domain_test

import (
	"cmp"
	"strings"
	"testing"
	"unicode/utf8"

	"vigie/internal/domain"
)

// attachmentNames are the table of TestCleanAttachmentName and the seed
// corpus of FuzzCleanAttachmentName.
var attachmentNames = []struct {
	in, want string // want "" means refused
}{
	{"scan.pdf", "scan.pdf"},
	{"Déclaration de Mbuyi (signée).pdf", "Déclaration de Mbuyi (signée).pdf"},
	{"إفادة الضحية.pdf", "إفادة الضحية.pdf"},
	{"受害者陈述.png", "受害者陈述.png"},
	{"  photo.jpg  ", "photo.jpg"},
	{"rapport.pdf. . ", "rapport.pdf"},
	{"../../etc/passwd", "passwd"},
	{`..\..\boot.ini`, "boot.ini"},
	{"a/b/../../c.pdf", "c.pdf"},
	{`C:\Users\agent\Documents\scan.pdf`, "scan.pdf"},
	{"<script>alert(1)</script>.pdf", "script>.pdf"}, // "</" is a path separator
	{"<img src=x onerror=alert(1)>.pdf", "<img src=x onerror=alert(1)>.pdf"},
	{"CONSTAT.pdf", "CONSTAT.pdf"},
	{"console.txt", "console.txt"},
	{"COM10.txt", "COM10.txt"},
	{"", ""},
	{".", ""},
	{"..", ""},
	{"...", ""},
	{"dir/", ""},
	{"dir/..", ""},
	{"   ", ""},
	{".htaccess", ""},
	{" .bashrc", ""},
	{"x\x00.pdf", ""},
	{"a\x00/b.pdf", ""},
	{"line\nbreak.pdf", ""},
	{"tab\t.pdf", ""},
	{"del\x7f.pdf", ""},
	{"c1\u0085.pdf", ""},
	{"invoice\u202Efdp.exe", ""},
	{"isolate\u2066.pdf", ""},
	{"sep\u2028.pdf", ""},
	{"bom\uFEFF.pdf", ""},
	{"bad\xff.pdf", ""},
	{"CON.pdf", ""},
	{"con", ""},
	{"Con .tar.gz", ""},
	{"prn.txt", ""},
	{"AUX", ""},
	{"nul.png", ""},
	{"COM1.jpg", ""},
	{"lpt9.txt", ""},
	{"COM¹.pdf", ""},
	{"CONOUT$.txt", ""},
	{strings.Repeat("a", 300) + ".pdf", ""},
	{strings.Repeat("é", 98) + ".pdf", strings.Repeat("é", 98) + ".pdf"}, // 200 bytes
	{strings.Repeat("é", 99) + ".pdf", ""},                               // 202 bytes
}

func TestCleanAttachmentName(t *testing.T) {
	for _, tt := range attachmentNames {
		got, err := domain.CleanAttachmentName(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("CleanAttachmentName(%q) = %q, want a refusal", tt.in, got)
				continue
			}
			if domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("CleanAttachmentName(%q): kind %s", tt.in, domain.KindOf(err))
			}
			fe := domain.FieldErrors(err)
			if len(fe) != 1 || fe[0].Field != "name" || !strings.Contains(fe[0].Message, " / ") {
				t.Errorf("CleanAttachmentName(%q): want one bilingual error on field name, got %+v", tt.in, fe)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CleanAttachmentName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func FuzzCleanAttachmentName(f *testing.F) {
	for _, tt := range attachmentNames {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := domain.CleanAttachmentName(in)
		if err != nil {
			if out != "" || domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("%q: refused with output %q and kind %s", in, out, domain.KindOf(err))
			}
			return
		}
		switch {
		case out == "", out == ".", out == "..", out[0] == '.':
			t.Fatalf("%q → %q: empty, a dot name or hidden", in, out)
		case strings.ContainsAny(out, "/\\\x00"):
			t.Fatalf("%q → %q: a separator or NUL survived", in, out)
		case !utf8.ValidString(out), len(out) > domain.MaxAttachmentNameBytes:
			t.Fatalf("%q → %q: invalid UTF-8 or too long", in, out)
		}
		// A cleaned name is clean: storing it and cleaning it again (an
		// import, a copy to another case) must not change or refuse it.
		if again, err := domain.CleanAttachmentName(out); err != nil || again != out {
			t.Fatalf("%q → %q → %q, %v: not idempotent", in, out, again, err)
		}
	})
}

func TestCheckAttachmentType(t *testing.T) {
	for _, tt := range []struct {
		declared, sniffed string
		ok                bool
		kind              domain.Kind // of a refusal: invalid unless said
	}{
		{"application/pdf", "application/pdf", true, ""},
		{"Image/JPEG", "image/jpeg", true, ""},
		{"text/plain; charset=utf-8", "text/plain; charset=utf-8", true, ""},
		{"text/plain", "text/plain; charset=utf-16le", true, ""},
		{"image/webp", "image/webp", true, ""},
		{"image/jpeg", "application/pdf", false, ""}, // a PDF called photo.jpg
		{"image/png", "application/pdf", false, ""},
		{"text/plain", "text/html; charset=utf-8", false, ""},
		{"text/html", "text/html; charset=utf-8", false, domain.KindMediaType},
		{"image/svg+xml", "text/xml; charset=utf-8", false, domain.KindMediaType},
		{"application/octet-stream", "application/octet-stream", false, domain.KindMediaType},
		{"", "application/pdf", false, ""},
	} {
		err := domain.CheckAttachmentType(tt.declared, tt.sniffed)
		if (err == nil) != tt.ok {
			t.Errorf("CheckAttachmentType(%q, %q) = %v, want ok %v", tt.declared, tt.sniffed, err, tt.ok)
			continue
		}
		if err != nil {
			// A type outside the list is an unsupported media type (415).
			want := cmp.Or(tt.kind, domain.KindInvalid)
			if fe := domain.FieldErrors(err); len(fe) != 1 || fe[0].Field != "content_type" || domain.KindOf(err) != want {
				t.Errorf("CheckAttachmentType(%q, %q): %v", tt.declared, tt.sniffed, err)
			}
		}
	}
}

func TestValidateAttachment(t *testing.T) {
	if name, ct, err := domain.ValidateAttachment("../scan.pdf", "Text/Plain; charset=utf-8", 10); err != nil || name != "scan.pdf" || ct != "text/plain" {
		t.Fatalf("valid attachment: %q %q %v", name, ct, err)
	}
	if _, _, err := domain.ValidateAttachment("scan.pdf", "application/pdf", domain.MaxAttachmentBytes+1); domain.KindOf(err) != domain.KindTooLarge {
		t.Fatalf("too large: %v", err)
	}
	_, _, err := domain.ValidateAttachment(".x", "text/html", 0)
	if fe := domain.FieldErrors(err); len(fe) != 3 {
		t.Fatalf("want three problems (name, content_type, file), got %v", err)
	}
}
