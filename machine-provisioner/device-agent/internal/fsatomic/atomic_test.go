package fsatomic

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteCreatesTheFileAndItsDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "pod.yaml")
	written, err := Write(path, []byte("one"), 0o644)
	if err != nil || !written {
		t.Fatalf("Write = %v, %v", written, err)
	}
	got, _ := os.ReadFile(path)
	info, _ := os.Stat(path)
	if string(got) != "one" || info.Mode().Perm() != 0o644 {
		t.Errorf("content %q mode %v", got, info.Mode())
	}
	assertNoTemporaryFiles(t, filepath.Dir(path))
}

func TestUnchangedContentIsNotTouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pod.yaml")
	if _, err := Write(path, []byte("same"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	written, err := Write(path, []byte("same"), 0o644)
	if err != nil || written {
		t.Fatalf("Write of the same content = %v, %v", written, err)
	}
	after, _ := os.Stat(path)
	if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Error("the file was replaced or touched although its content was right")
	}
}

func TestChangedContentOrModeIsReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pod.yaml")
	if _, err := Write(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if written, _ := Write(path, []byte("new"), 0o644); !written {
		t.Error("new content not written")
	}
	if written, _ := Write(path, []byte("new"), 0o600); !written {
		t.Error("new mode not written")
	}
	got, _ := os.ReadFile(path)
	info, _ := os.Stat(path)
	if string(got) != "new" || info.Mode().Perm() != 0o600 {
		t.Errorf("content %q mode %v", got, info.Mode())
	}
	assertNoTemporaryFiles(t, filepath.Dir(path))
}

func TestRemoveOfAnAbsentFileIsFine(t *testing.T) {
	removed, err := Remove(filepath.Join(t.TempDir(), "nothing"))
	if err != nil || removed {
		t.Errorf("Remove = %v, %v", removed, err)
	}
}

func assertNoTemporaryFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), TempPrefix) {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}
