package reference

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// maxMemberBytes bounds one .npy member. Fixtures hold small tensors (the
// whole tree is tens of MB), so anything larger is corruption, and the bound
// keeps a corrupt size field from becoming an allocation.
const maxMemberBytes = 1 << 30

// archive is one verified array file of a manifest, opened once: its bytes
// are read and checked against the manifest, then its members are indexed.
type archive struct {
	name    string
	members map[string]*zip.File // by member name (key + ".npy")
	decoded map[string]*member   // by key, decoded on first use
	scratch []byte               // reused buffer for member bytes
	headers headerCache
}

// member is one decoded .npy member.
type member struct {
	sum    string // hex SHA-256 of the member's bytes
	header npyHeader
	typ    npyType
	data   []float64
	used   bool // data has been handed to an ArrayRef
}

// openArchive reads the file at path, checks its size and SHA-256 against
// info, and indexes its zip members. The file is read whole, once: the zip
// reader then works from memory, and the checksum covers exactly the bytes
// the members are decoded from.
func openArchive(path, name string, info FileInfo) (*archive, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if int64(len(raw)) != info.Bytes {
		return nil, fmt.Errorf("size %d bytes, manifest says %d (truncated or replaced)", len(raw), info.Bytes)
	}
	if sum := sha256.Sum256(raw); !strings.EqualFold(hex.EncodeToString(sum[:]), info.SHA256) {
		return nil, fmt.Errorf("sha256 %x does not match manifest %s", sum, info.SHA256)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("not a valid npz (zip) archive: %w", err)
	}
	a := &archive{
		name:    name,
		members: make(map[string]*zip.File, len(zr.File)),
		decoded: make(map[string]*member),
	}
	for _, f := range zr.File {
		if _, dup := a.members[f.Name]; dup {
			return nil, fmt.Errorf("member %q appears twice in the archive", f.Name)
		}
		a.members[f.Name] = f
	}
	return a, nil
}

// member returns the decoded member for key, reading it on first use.
func (a *archive) member(key string) (*member, error) {
	if m, ok := a.decoded[key]; ok {
		return m, nil
	}
	f, ok := a.members[key+".npy"]
	if !ok {
		return nil, fmt.Errorf("no member %q in the archive (it has %d members)", key+".npy", len(a.members))
	}
	m, err := a.readMember(f)
	if err != nil {
		return nil, err
	}
	a.decoded[key] = m
	return m, nil
}

// readMember reads one member whole, requires EOF right after the bytes the
// zip directory promises (EOF is where archive/zip checks the CRC-32), and
// decodes it. The member's SHA-256 is taken over the same bytes.
func (a *archive) readMember(f *zip.File) (*member, error) {
	size := f.UncompressedSize64
	// Deflate expands at most about 1032:1; a larger claim is a corrupt
	// directory, refused before it becomes an allocation.
	if size > maxMemberBytes || (f.Method == zip.Deflate && size > 1100*f.CompressedSize64+1024) ||
		(f.Method == zip.Store && size != f.CompressedSize64) {
		return nil, fmt.Errorf("implausible member size %d (compressed %d)", size, f.CompressedSize64)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("cannot open member: %w", err)
	}
	defer rc.Close()
	if cap(a.scratch) < int(size) {
		a.scratch = make([]byte, size)
	}
	buf := a.scratch[:size]
	if _, err := io.ReadFull(rc, buf); err != nil {
		return nil, fmt.Errorf("cannot read member (%d bytes expected): %w", size, err)
	}
	var probe [1]byte
	if n, err := rc.Read(probe[:]); n != 0 || err != io.EOF {
		if err == nil || err == io.EOF {
			err = errors.New("data continues past the size in the zip directory")
		}
		return nil, fmt.Errorf("corrupt member: %w", err)
	}
	sum := sha256.Sum256(buf)
	return decodeMember(buf, hex.EncodeToString(sum[:]), &a.headers)
}

// decodeMember parses the .npy bytes of one member: a header, then exactly
// prod(shape)*itemsize bytes of data, nothing more and nothing less.
func decodeMember(buf []byte, sum string, hc *headerCache) (*member, error) {
	h, off, err := hc.parse(buf)
	if err != nil {
		return nil, err
	}
	t, err := parseDescr(h.Descr)
	if err != nil {
		return nil, err
	}
	n, err := numElements(h.Shape, t.Size)
	if err != nil {
		return nil, fmt.Errorf("npy header: %w", err)
	}
	if got, want := len(buf)-off, n*t.Size; got != want {
		return nil, fmt.Errorf("member holds %d data bytes, its header promises %d (shape %s of %s)",
			got, want, formatShape(h.Shape), h.Descr)
	}
	data, err := decodeNPY(buf[off:], t, h.Shape, h.Fortran)
	if err != nil {
		return nil, err
	}
	return &member{sum: sum, header: h, typ: t, data: data}, nil
}

// array checks the member against what ref says of it (checksum, dtype,
// shape, and for bfloat16 that every value is one) and returns its Array.
// The first ArrayRef gets the decoded data; any later one naming the same
// member gets a copy, so that no two refs share storage.
func (m *member) array(ref *ArrayRef) (*Array, error) {
	if !strings.EqualFold(m.sum, ref.SHA256) {
		return nil, fmt.Errorf("sha256 of member %s does not match manifest %s (member corrupt or replaced)", m.sum, ref.SHA256)
	}
	if err := checkStorage(ref.DType, m.typ, m.header.Descr); err != nil {
		return nil, err
	}
	if !slices.Equal(m.header.Shape, ref.Shape) {
		return nil, fmt.Errorf("npy header shape %s disagrees with manifest shape %v", formatShape(m.header.Shape), ref.Shape)
	}
	if ref.DType == "bfloat16" {
		for i, v := range m.data {
			if !isBFloat16(v) {
				return nil, fmt.Errorf("element %d = %v is not a bfloat16 value", i, v)
			}
		}
	}
	data := m.data
	if m.used {
		data = slices.Clone(data)
	}
	m.used = true
	return &Array{Shape: append([]int{}, ref.Shape...), DType: ref.DType, Data: data}, nil
}
