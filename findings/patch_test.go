package findings

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fileDiff is the part of a unified diff that changes one file.
type fileDiff struct {
	path  string // relative to the tree's root, without the a/ or b/ prefix
	hunks []hunk
}

// hunk replaces old with new at line start (1-based) of the original file.
type hunk struct {
	start    int
	old, new []string
}

// parseDiff reads a unified diff as diff -u or git diff write it (text before the first
// "--- " line is ignored). It supports changes to existing files only: no new or deleted
// files, no "\ No newline at end of file".
func parseDiff(diff string) ([]fileDiff, error) {
	lines := strings.Split(strings.TrimSuffix(diff, "\n"), "\n")
	var files []fileDiff
	for i := 0; i < len(lines); {
		if !strings.HasPrefix(lines[i], "--- ") {
			if len(files) > 0 && lines[i] != "" && !strings.HasPrefix(lines[i], "diff ") && !strings.HasPrefix(lines[i], "index ") {
				return nil, fmt.Errorf("line %d: unexpected %q between files", i+1, lines[i])
			}
			i++
			continue
		}
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "+++ ") {
			return nil, fmt.Errorf("line %d: %q is not followed by a +++ line", i+1, lines[i])
		}
		oldPath, newPath := diffPath(lines[i][4:], "a/"), diffPath(lines[i+1][4:], "b/")
		if oldPath != newPath || oldPath == "/dev/null" {
			return nil, fmt.Errorf("line %d: only changes to existing files are supported (%s -> %s)", i+1, oldPath, newPath)
		}
		fd := fileDiff{path: oldPath}
		i += 2
		for i < len(lines) && strings.HasPrefix(lines[i], "@@ ") {
			h, next, err := parseHunk(lines, i)
			if err != nil {
				return nil, err
			}
			fd.hunks = append(fd.hunks, h)
			i = next
		}
		if len(fd.hunks) == 0 {
			return nil, fmt.Errorf("%s: no hunks", fd.path)
		}
		files = append(files, fd)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no file changes found")
	}
	return files, nil
}

// diffPath strips the a/ or b/ prefix and any tab-separated timestamp.
func diffPath(s, prefix string) string {
	s, _, _ = strings.Cut(s, "\t")
	return strings.TrimPrefix(s, prefix)
}

// parseHunk reads the hunk whose "@@ -l,s +l,s @@" header is lines[i] and returns the
// index of the line after it.
func parseHunk(lines []string, i int) (hunk, int, error) {
	var h hunk
	header := lines[i]
	fields := strings.Fields(header)
	if len(fields) < 4 || fields[3] != "@@" {
		return h, 0, fmt.Errorf("line %d: bad hunk header %q", i+1, header)
	}
	start, oldN, err1 := hunkRange(fields[1], "-")
	_, newN, err2 := hunkRange(fields[2], "+")
	if err1 != nil || err2 != nil || start < 1 {
		return h, 0, fmt.Errorf("line %d: bad hunk header %q", i+1, header)
	}
	h.start = start
	for i++; len(h.old) < oldN || len(h.new) < newN; i++ {
		if i >= len(lines) {
			return h, 0, fmt.Errorf("hunk %q ends early", header)
		}
		l := lines[i]
		if l == "" { // some editors strip the space of an empty context line
			l = " "
		}
		switch l[0] {
		case ' ':
			h.old, h.new = append(h.old, l[1:]), append(h.new, l[1:])
		case '-':
			h.old = append(h.old, l[1:])
		case '+':
			h.new = append(h.new, l[1:])
		default:
			return h, 0, fmt.Errorf("line %d: unsupported diff line %q", i+1, l)
		}
	}
	if len(h.old) != oldN || len(h.new) != newN {
		return h, 0, fmt.Errorf("hunk %q: line counts do not match its header", header)
	}
	return h, i, nil
}

func hunkRange(s, sign string) (start, n int, err error) {
	s, ok := strings.CutPrefix(s, sign)
	if !ok {
		return 0, 0, fmt.Errorf("want %s", sign)
	}
	first, count, found := strings.Cut(s, ",")
	if start, err = strconv.Atoi(first); err != nil {
		return 0, 0, err
	}
	n = 1
	if found {
		n, err = strconv.Atoi(count)
	}
	return start, n, err
}

// applyDiff applies a unified diff to the tree at root. Every hunk must match the file
// exactly where its header says (shifted only by the hunks before it in the same file):
// a patch that no longer fits the release is an error, never a guess.
func applyDiff(root, diff string) error {
	files, err := parseDiff(diff)
	if err != nil {
		return err
	}
	for _, fd := range files {
		name := filepath.Join(root, filepath.FromSlash(fd.path))
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		lines := strings.Split(string(data), "\n")
		shift := 0
		for _, h := range fd.hunks {
			at := h.start - 1 + shift
			if at+len(h.old) > len(lines) || !equal(lines[at:at+len(h.old)], h.old) {
				return fmt.Errorf("%s: the hunk at line %d does not match the file", fd.path, h.start)
			}
			lines = append(lines[:at], append(append([]string{}, h.new...), lines[at+len(h.old):]...)...)
			shift += len(h.new) - len(h.old)
		}
		info, err := os.Stat(name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(name, []byte(strings.Join(lines, "\n")), info.Mode().Perm()|0o200); err != nil {
			return err
		}
	}
	return nil
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestApplyDiff(t *testing.T) {
	const original = "package p\n\nfunc f() int {\n\treturn 1\n}\n\nfunc g() {}\n"
	const diff = "A fix.\n\n--- a/p.go\n+++ b/p.go\n@@ -3,3 +3,4 @@\n func f() int {\n-\treturn 1\n+\t// two\n+\treturn 2\n }\n@@ -7,1 +8,1 @@\n-func g() {}\n+func g() { f() }\n"
	write := func(t *testing.T, content string) string {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(content), 0o444); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	t.Run("applies", func(t *testing.T) {
		dir := write(t, original)
		if err := applyDiff(dir, diff); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "p.go"))
		if err != nil {
			t.Fatal(err)
		}
		const want = "package p\n\nfunc f() int {\n\t// two\n\treturn 2\n}\n\nfunc g() { f() }\n"
		if string(got) != want {
			t.Errorf("patched file:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("refuses a mismatch", func(t *testing.T) {
		dir := write(t, strings.Replace(original, "return 1", "return 3", 1))
		if err := applyDiff(dir, diff); err == nil || !strings.Contains(err.Error(), "does not match") {
			t.Errorf("applyDiff on a changed file = %v, want a mismatch error", err)
		}
	})
	t.Run("refuses bad diffs", func(t *testing.T) {
		for _, bad := range []string{
			"",
			"--- a/p.go\n",
			"--- /dev/null\n+++ b/p.go\n@@ -0,0 +1,1 @@\n+x\n",
			"--- a/p.go\n+++ b/p.go\n@@ -3,3 +3,4 @@\n func f() int {\n",
			"--- a/p.go\n+++ b/p.go\n@@ nonsense @@\n",
		} {
			if _, err := parseDiff(bad); err == nil {
				t.Errorf("parseDiff(%q) = nil error, want one", bad)
			}
		}
	})
}
