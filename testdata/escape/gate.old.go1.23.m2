# example.com/gate
example.com/gate/main.go:25:6: cannot inline checksum: marked go:noinline
example.com/gate/main.go:33:6: cannot inline buffer: marked go:noinline
example.com/gate/main.go:37:6: cannot inline main: function too complex: cost 460 exceeds budget 80
sync/atomic/type.go:63:6: can inline atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).CompareAndSwap with cost 63 as: method(*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]) func(*[16]uintptr, *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }, *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }) bool { return atomic.CompareAndSwapPointer(&atomic.x.v, unsafe.Pointer(atomic.old), unsafe.Pointer(atomic.new)) }
sync/atomic/type.go:60:6: can inline atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Swap with cost 62 as: method(*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]) func(*[16]uintptr, *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }) *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int } { return (*go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int })(atomic.SwapPointer(&atomic.x.v, unsafe.Pointer(atomic.new))) }
sync/atomic/type.go:57:6: can inline atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Store with cost 61 as: method(*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]) func(*[16]uintptr, *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }) { atomic.StorePointer(&atomic.x.v, unsafe.Pointer(atomic.val)) }
sync/atomic/type.go:54:6: can inline atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Load with cost 4 as: method(*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]) func(*[16]uintptr) *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int } { return (*go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int })(atomic.LoadPointer(&atomic.x.v)) }
sync/atomic/type.go:63:6: can inline atomic.(*Pointer[os.dirInfo]).CompareAndSwap with cost 70 as: method(*atomic.Pointer[os.dirInfo]) func(*os.dirInfo, *os.dirInfo) bool { return (*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).CompareAndSwap(atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.old, atomic.new) }
sync/atomic/type.go:60:6: can inline atomic.(*Pointer[os.dirInfo]).Swap with cost 68 as: method(*atomic.Pointer[os.dirInfo]) func(*os.dirInfo) *os.dirInfo { return (*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Swap(atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.new) }
sync/atomic/type.go:57:6: can inline atomic.(*Pointer[os.dirInfo]).Store with cost 66 as: method(*atomic.Pointer[os.dirInfo]) func(*os.dirInfo) { (*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Store(atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.val) }
sync/atomic/type.go:54:6: can inline atomic.(*Pointer[os.dirInfo]).Load with cost 9 as: method(*atomic.Pointer[os.dirInfo]) func() *os.dirInfo { return (*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Load(atomic.x, &atomic..dict.Pointer[os.dirInfo]) }
example.com/gate/main.go:47:21: inlining call to os.Create
example.com/gate/main.go:54:19: inlining call to os.(*File).Close
sync/atomic/type.go:63:6: inlining call to atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).CompareAndSwap
sync/atomic/type.go:60:6: inlining call to atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Swap
sync/atomic/type.go:57:6: inlining call to atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Store
sync/atomic/type.go:54:6: inlining call to atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Load
example.com/gate/main.go:34:13: make([]byte, 64 + n % 8) escapes to heap:
example.com/gate/main.go:34:13:   flow: {heap} = &{storage for make([]byte, 64 + n % 8)}:
example.com/gate/main.go:34:13:     from make([]byte, 64 + n % 8) (non-constant size) at example.com/gate/main.go:34:13
example.com/gate/main.go:34:13: make([]byte, 64 + n % 8) escapes to heap
sync/atomic/type.go:63:42: parameter atomic.new leaks to {heap} with derefs=0:
sync/atomic/type.go:63:42:   flow: {heap} = atomic.new:
sync/atomic/type.go:63:42:     from atomic.CompareAndSwapPointer(&atomic.x.v, unsafe.Pointer(atomic.old), unsafe.Pointer(atomic.new)) (call parameter) at sync/atomic/type.go:64:30
sync/atomic/type.go:63:37: parameter atomic.old leaks to {heap} with derefs=0:
sync/atomic/type.go:63:37:   flow: {heap} = atomic.old:
sync/atomic/type.go:63:37:     from atomic.CompareAndSwapPointer(&atomic.x.v, unsafe.Pointer(atomic.old), unsafe.Pointer(atomic.new)) (call parameter) at sync/atomic/type.go:64:30
sync/atomic/type.go:63:7: parameter atomic.x leaks to {heap} with derefs=0:
sync/atomic/type.go:63:7:   flow: {heap} = atomic.x:
sync/atomic/type.go:63:7:     from atomic.x.v (dot of pointer) at sync/atomic/type.go:64:33
sync/atomic/type.go:63:7:     from &atomic.x.v (address-of) at sync/atomic/type.go:64:31
sync/atomic/type.go:63:7:     from atomic.CompareAndSwapPointer(&atomic.x.v, unsafe.Pointer(atomic.old), unsafe.Pointer(atomic.new)) (call parameter) at sync/atomic/type.go:64:30
sync/atomic/type.go:60:27: parameter atomic.new leaks to {heap} with derefs=0:
sync/atomic/type.go:60:27:   flow: {heap} = atomic.new:
sync/atomic/type.go:60:27:     from atomic.SwapPointer(&atomic.x.v, unsafe.Pointer(atomic.new)) (call parameter) at sync/atomic/type.go:60:69
sync/atomic/type.go:60:7: parameter atomic.x leaks to {heap} with derefs=0:
sync/atomic/type.go:60:7:   flow: {heap} = atomic.x:
sync/atomic/type.go:60:7:     from atomic.x.v (dot of pointer) at sync/atomic/type.go:60:72
sync/atomic/type.go:60:7:     from &atomic.x.v (address-of) at sync/atomic/type.go:60:70
sync/atomic/type.go:60:7:     from atomic.SwapPointer(&atomic.x.v, unsafe.Pointer(atomic.new)) (call parameter) at sync/atomic/type.go:60:69
sync/atomic/type.go:57:28: parameter atomic.val leaks to {heap} with derefs=0:
sync/atomic/type.go:57:28:   flow: {heap} = atomic.val:
sync/atomic/type.go:57:28:     from atomic.StorePointer(&atomic.x.v, unsafe.Pointer(atomic.val)) (call parameter) at sync/atomic/type.go:57:50
sync/atomic/type.go:57:7: parameter atomic.x leaks to {heap} with derefs=0:
sync/atomic/type.go:57:7:   flow: {heap} = atomic.x:
sync/atomic/type.go:57:7:     from atomic.x.v (dot of pointer) at sync/atomic/type.go:57:53
sync/atomic/type.go:57:7:     from &atomic.x.v (address-of) at sync/atomic/type.go:57:51
sync/atomic/type.go:57:7:     from atomic.StorePointer(&atomic.x.v, unsafe.Pointer(atomic.val)) (call parameter) at sync/atomic/type.go:57:50
sync/atomic/type.go:54:7: parameter atomic.x leaks to {heap} with derefs=0:
sync/atomic/type.go:54:7:   flow: {heap} = atomic.x:
sync/atomic/type.go:54:7:     from atomic.x.v (dot of pointer) at sync/atomic/type.go:54:60
sync/atomic/type.go:54:7:     from &atomic.x.v (address-of) at sync/atomic/type.go:54:58
sync/atomic/type.go:54:7:     from atomic.LoadPointer(&atomic.x.v) (call parameter) at sync/atomic/type.go:54:57
sync/atomic/type.go:63:42: parameter atomic.new leaks to {heap} with derefs=0:
sync/atomic/type.go:63:42:   flow: atomic.new = atomic.new:
sync/atomic/type.go:63:42:     from atomic.x, atomic..dict, atomic.old, atomic.new := atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.old, atomic.new (assign-pair) at sync/atomic/type.go:63:6
sync/atomic/type.go:63:42:   flow: {heap} = atomic.new:
sync/atomic/type.go:63:42:     from atomic.CompareAndSwapPointer(&atomic.x.v, unsafe.Pointer(atomic.old), unsafe.Pointer(atomic.new)) (call parameter) at sync/atomic/type.go:63:6
sync/atomic/type.go:63:37: parameter atomic.old leaks to {heap} with derefs=0:
sync/atomic/type.go:63:37:   flow: atomic.old = atomic.old:
sync/atomic/type.go:63:37:     from atomic.x, atomic..dict, atomic.old, atomic.new := atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.old, atomic.new (assign-pair) at sync/atomic/type.go:63:6
sync/atomic/type.go:63:37:   flow: {heap} = atomic.old:
sync/atomic/type.go:63:37:     from atomic.CompareAndSwapPointer(&atomic.x.v, unsafe.Pointer(atomic.old), unsafe.Pointer(atomic.new)) (call parameter) at sync/atomic/type.go:63:6
sync/atomic/type.go:63:7: parameter atomic.x leaks to {heap} with derefs=0:
sync/atomic/type.go:63:7:   flow: atomic.x = atomic.x:
sync/atomic/type.go:63:7:     from atomic.x, atomic..dict, atomic.old, atomic.new := atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.old, atomic.new (assign-pair) at sync/atomic/type.go:63:6
sync/atomic/type.go:63:7:   flow: {heap} = atomic.x:
sync/atomic/type.go:63:7:     from atomic.x.v (dot of pointer) at sync/atomic/type.go:63:6
sync/atomic/type.go:63:7:     from &atomic.x.v (address-of) at sync/atomic/type.go:63:6
sync/atomic/type.go:63:7:     from atomic.CompareAndSwapPointer(&atomic.x.v, unsafe.Pointer(atomic.old), unsafe.Pointer(atomic.new)) (call parameter) at sync/atomic/type.go:63:6
sync/atomic/type.go:60:27: parameter atomic.new leaks to {heap} with derefs=0:
sync/atomic/type.go:60:27:   flow: atomic.new = atomic.new:
sync/atomic/type.go:60:27:     from atomic.x, atomic..dict, atomic.new := atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.new (assign-pair) at sync/atomic/type.go:60:6
sync/atomic/type.go:60:27:   flow: {heap} = atomic.new:
sync/atomic/type.go:60:27:     from atomic.SwapPointer(&atomic.x.v, unsafe.Pointer(atomic.new)) (call parameter) at sync/atomic/type.go:60:6
sync/atomic/type.go:60:7: parameter atomic.x leaks to {heap} with derefs=0:
sync/atomic/type.go:60:7:   flow: atomic.x = atomic.x:
sync/atomic/type.go:60:7:     from atomic.x, atomic..dict, atomic.new := atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.new (assign-pair) at sync/atomic/type.go:60:6
sync/atomic/type.go:60:7:   flow: {heap} = atomic.x:
sync/atomic/type.go:60:7:     from atomic.x.v (dot of pointer) at sync/atomic/type.go:60:6
sync/atomic/type.go:60:7:     from &atomic.x.v (address-of) at sync/atomic/type.go:60:6
sync/atomic/type.go:60:7:     from atomic.SwapPointer(&atomic.x.v, unsafe.Pointer(atomic.new)) (call parameter) at sync/atomic/type.go:60:6
sync/atomic/type.go:57:28: parameter atomic.val leaks to {heap} with derefs=0:
sync/atomic/type.go:57:28:   flow: atomic.val = atomic.val:
sync/atomic/type.go:57:28:     from atomic.x, atomic..dict, atomic.val := atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.val (assign-pair) at sync/atomic/type.go:57:6
sync/atomic/type.go:57:28:   flow: {heap} = atomic.val:
sync/atomic/type.go:57:28:     from atomic.StorePointer(&atomic.x.v, unsafe.Pointer(atomic.val)) (call parameter) at sync/atomic/type.go:57:6
sync/atomic/type.go:57:7: parameter atomic.x leaks to {heap} with derefs=0:
sync/atomic/type.go:57:7:   flow: atomic.x = atomic.x:
sync/atomic/type.go:57:7:     from atomic.x, atomic..dict, atomic.val := atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.val (assign-pair) at sync/atomic/type.go:57:6
sync/atomic/type.go:57:7:   flow: {heap} = atomic.x:
sync/atomic/type.go:57:7:     from atomic.x.v (dot of pointer) at sync/atomic/type.go:57:6
sync/atomic/type.go:57:7:     from &atomic.x.v (address-of) at sync/atomic/type.go:57:6
sync/atomic/type.go:57:7:     from atomic.StorePointer(&atomic.x.v, unsafe.Pointer(atomic.val)) (call parameter) at sync/atomic/type.go:57:6
sync/atomic/type.go:54:7: parameter atomic.x leaks to {heap} with derefs=0:
sync/atomic/type.go:54:7:   flow: atomic.x = atomic.x:
sync/atomic/type.go:54:7:     from atomic.x, atomic..dict := atomic.x, &atomic..dict.Pointer[os.dirInfo] (assign-pair) at sync/atomic/type.go:54:6
sync/atomic/type.go:54:7:   flow: {heap} = atomic.x:
sync/atomic/type.go:54:7:     from atomic.x.v (dot of pointer) at sync/atomic/type.go:54:6
sync/atomic/type.go:54:7:     from &atomic.x.v (address-of) at sync/atomic/type.go:54:6
sync/atomic/type.go:54:7:     from atomic.LoadPointer(&atomic.x.v) (call parameter) at sync/atomic/type.go:54:6
