package reference

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// maxMemberBytes bounds one .npy member, and so the shape and dtype a
// manifest may give an array. Fixtures hold small tensors (the whole tree
// is tens of MB), so anything larger is corruption.
const maxMemberBytes = 1 << 30

// npyPrefixLen is the magic, version and header length field of a version 2
// .npy file; version 1 has two bytes less.
const npyPrefixLen = 12

// maxNPYBytes is the most a .npy member may hold for an array whose data,
// prod(shape) * itemsize, is dataBytes long (see npyDataBytes, which keeps
// that from overflowing): the data and a header of at most maxHeaderLen.
func maxNPYBytes(dataBytes int) int { return npyPrefixLen + maxHeaderLen + dataBytes }

// npyDataBytes is the size of the data of an array of the given shape and
// logical dtype, or an error when the dtype is unknown, a dimension is
// negative or the size is over maxMemberBytes (which also keeps the product
// from overflowing).
func npyDataBytes(dtype string, shape []int) (int, error) {
	s, ok := storage[dtype]
	if !ok {
		return 0, fmt.Errorf("unknown dtype %q", dtype)
	}
	n, err := numElements(shape, s.size)
	if err != nil {
		return 0, err
	}
	if n*s.size > maxMemberBytes-npyPrefixLen-maxHeaderLen {
		return 0, fmt.Errorf("shape %v of %s is %d bytes, over the limit of %d for one array", shape, dtype, n*s.size, maxMemberBytes)
	}
	return n * s.size, nil
}

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
// info, and indexes its zip members. The file is read whole, once, after its
// size has been checked (see loader.readFile): the zip reader then works
// from memory, and the checksum covers exactly the bytes the members are
// decoded from.
func (l *loader) openArchive(path, name string, info FileInfo) (*archive, error) {
	raw, err := l.readFile(path, info.Bytes, maxFileBytes)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(raw); !strings.EqualFold(hex.EncodeToString(sum[:]), info.SHA256) {
		return nil, fmt.Errorf("sha256 %x does not match manifest %s", sum, info.SHA256)
	}
	return newArchive(raw, name)
}

// newArchive indexes the members of the npz archive held in raw.
func newArchive(raw []byte, name string) (*archive, error) {
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

// member returns the decoded member ref names, reading it on first use.
func (a *archive) member(ref *ArrayRef) (*member, error) {
	key := ref.Key
	if m, ok := a.decoded[key]; ok {
		return m, nil
	}
	f, ok := a.members[key+".npy"]
	if !ok {
		return nil, fmt.Errorf("no member %q in the archive (it has %d members)", key+".npy", len(a.members))
	}
	dataBytes, err := npyDataBytes(ref.DType, ref.Shape)
	if err != nil {
		return nil, err
	}
	m, err := a.readMember(f, maxNPYBytes(dataBytes))
	if err != nil {
		return nil, err
	}
	a.decoded[key] = m
	return m, nil
}

// readMember reads one member whole, requires EOF right after the bytes the
// zip directory promises (EOF is where archive/zip checks the CRC-32), and
// decodes it. The member's SHA-256 is taken over the same bytes.
//
// The size the directory declares is checked before anything is inflated:
// it may not exceed limit, what the manifest's shape and dtype allow, so a
// "zip bomb" is refused at its directory entry. The read is then capped at
// the declared size plus one byte, so a member that inflates to more than it
// declares costs no more than it declared.
func (a *archive) readMember(f *zip.File, limit int) (*member, error) {
	size := f.UncompressedSize64
	if size > uint64(limit) {
		return nil, fmt.Errorf("member declares %d bytes uncompressed, more than the %d its manifest shape and dtype allow", size, limit)
	}
	// Deflate expands at most about 1032:1; a larger claim is a corrupt
	// directory.
	if (f.Method == zip.Deflate && size > 1100*f.CompressedSize64+1024) ||
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
		// archive/zip reports reading past the declared size as ErrFormat.
		if err == nil || err == io.EOF || errors.Is(err, zip.ErrFormat) {
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
