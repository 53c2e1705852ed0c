package reference

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Limits on what a fixture set may make the loader read. The committed set
// has 15 MB manifests and archives under 1 MB; the bounds are far above
// that and far below what would exhaust a machine, so that a corrupt or
// hostile set fails with an error rather than an OOM.
const (
	maxManifestBytes = 1 << 30 // one manifest.json
	maxFileBytes     = 1 << 30 // one array file
	// readChunk is how much of a file is read between two looks at the
	// context, so that an interrupt is honoured within milliseconds even in
	// the middle of a large file.
	readChunk = 1 << 20
)

// loader is one run of LoadContext: the context that can stop it and the
// set's folder, with symlinks resolved, that every file must stay inside.
type loader struct {
	ctx  context.Context
	root string
}

func newLoader(ctx context.Context, dir string) (*loader, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("fixture set %s: %w", dir, err)
	}
	root, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("fixture set: %w", err)
	}
	return &loader{ctx: ctx, root: root}, nil
}

// stopped returns the context's error, wrapped to say what was stopped, or
// nil while loading may go on.
func (l *loader) stopped() error {
	if err := l.ctx.Err(); err != nil {
		return fmt.Errorf("loading stopped: %w", err)
	}
	return nil
}

// readFile reads a file of the set whole. The file must be a regular file
// inside the set's folder (a symlink is followed only if it leads to one
// there): a FIFO would block the open forever, a device such as /dev/zero
// would never end, and a link out of the set reads something the manifest
// never vouched for. The size is taken with fstat on the opened file and
// checked before a byte is read: it must equal want when want >= 0 (the
// manifest's "bytes") and never exceed limit. The read is capped at that
// size, and a file that grows meanwhile is an error, so the memory a file
// costs is known before it is spent.
func (l *loader) readFile(path string, want, limit int64) ([]byte, error) {
	real, err := l.checkInside(path)
	if err != nil {
		return nil, err
	}
	// The resolved path is opened, so that a symlink swapped in after the
	// check is not followed. O_NONBLOCK: should a FIFO be swapped in, the
	// open returns at once instead of waiting for a writer (regular files
	// ignore the flag); the fstat below then refuses it.
	f, err := os.OpenFile(real, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file: %s", describeMode(fi.Mode()))
	}
	size := fi.Size()
	if want >= 0 && size != want {
		return nil, fmt.Errorf("size %d bytes, manifest says %d (truncated or replaced)", size, want)
	}
	if size > limit {
		return nil, fmt.Errorf("size %d bytes is over the limit of %d bytes for this file", size, limit)
	}
	buf := make([]byte, size)
	for off := int64(0); off < size; {
		if err := l.stopped(); err != nil {
			return nil, err
		}
		n := min(readChunk, size-off)
		if _, err := io.ReadFull(f, buf[off:off+n]); err != nil {
			return nil, fmt.Errorf("read %d of %d bytes: %w", off, size, err)
		}
		off += n
	}
	var probe [1]byte
	if n, _ := f.Read(probe[:]); n != 0 {
		return nil, fmt.Errorf("file grew past its size of %d bytes while being read", size)
	}
	return buf, nil
}

// checkInside returns path with every symlink resolved, or an error when
// that is not a regular file inside the set's folder. Errors leave path for
// the caller to name, as it does for every error of the file.
func (l *loader) checkInside(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("missing: %w", err)
	} else if err != nil {
		return "", err
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return "", err
	}
	if rel, err := filepath.Rel(l.root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("leads to %s, outside the fixture set %s", real, l.root)
	}
	fi, err := os.Lstat(real)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("not a regular file: %s", describeMode(fi.Mode()))
	}
	return real, nil
}

// describeMode names a file type for an error message.
func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	}
	return "of mode " + m.String()
}
