# example.com/patterns
example.com/patterns/main.go:35:6: cannot inline newUser: marked go:noinline
example.com/patterns/main.go:41:6: cannot inline storeGlobal: marked go:noinline
example.com/patterns/main.go:48:6: cannot inline toInterface: marked go:noinline
example.com/patterns/main.go:54:6: cannot inline makeN: marked go:noinline
example.com/patterns/main.go:60:6: cannot inline closure: marked go:noinline
example.com/patterns/main.go:62:11: can inline closure.func1 with cost 9 as: func() int { c[0]++; return c[0] }
example.com/patterns/main.go:66:6: cannot inline goroutine: marked go:noinline
example.com/patterns/main.go:68:5: can inline goroutine.func1 with cost 10 as: func() { x[0]++; done <- x[0] }
example.com/patterns/main.go:72:6: cannot inline sliceOfPointers: marked go:noinline
example.com/patterns/main.go:80:6: cannot inline mapValues: marked go:noinline
example.com/patterns/main.go:86:6: cannot inline large: marked go:noinline
example.com/patterns/main.go:93:6: cannot inline largeMake: marked go:noinline
example.com/patterns/main.go:100:6: cannot inline stackOnly: marked go:noinline
example.com/patterns/main.go:107:6: cannot inline stackMake: marked go:noinline
example.com/patterns/main.go:114:6: cannot inline viaLibrary: marked go:noinline
example.com/patterns/main.go:161:6: can inline newQuad with cost 10 as: func(int) *quad { q := quad{...}; return &q }
example.com/patterns/main.go:118:6: cannot inline main: function too complex: cost 1275 exceeds budget 80
sync/atomic/type.go:63:6: can inline atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).CompareAndSwap with cost 63 as: method(*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]) func(*[16]uintptr, *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }, *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }) bool { return atomic.CompareAndSwapPointer(&atomic.x.v, unsafe.Pointer(atomic.old), unsafe.Pointer(atomic.new)) }
sync/atomic/type.go:60:6: can inline atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Swap with cost 62 as: method(*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]) func(*[16]uintptr, *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }) *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int } { return (*go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int })(atomic.SwapPointer(&atomic.x.v, unsafe.Pointer(atomic.new))) }
sync/atomic/type.go:57:6: can inline atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Store with cost 61 as: method(*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]) func(*[16]uintptr, *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }) { atomic.StorePointer(&atomic.x.v, unsafe.Pointer(atomic.val)) }
sync/atomic/type.go:54:6: can inline atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Load with cost 4 as: method(*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]) func(*[16]uintptr) *go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int } { return (*go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int })(atomic.LoadPointer(&atomic.x.v)) }
sync/atomic/type.go:63:6: can inline atomic.(*Pointer[os.dirInfo]).CompareAndSwap with cost 70 as: method(*atomic.Pointer[os.dirInfo]) func(*os.dirInfo, *os.dirInfo) bool { return (*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).CompareAndSwap(atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.old, atomic.new) }
sync/atomic/type.go:60:6: can inline atomic.(*Pointer[os.dirInfo]).Swap with cost 68 as: method(*atomic.Pointer[os.dirInfo]) func(*os.dirInfo) *os.dirInfo { return (*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Swap(atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.new) }
sync/atomic/type.go:57:6: can inline atomic.(*Pointer[os.dirInfo]).Store with cost 66 as: method(*atomic.Pointer[os.dirInfo]) func(*os.dirInfo) { (*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Store(atomic.x, &atomic..dict.Pointer[os.dirInfo], atomic.val) }
sync/atomic/type.go:54:6: can inline atomic.(*Pointer[os.dirInfo]).Load with cost 9 as: method(*atomic.Pointer[os.dirInfo]) func() *os.dirInfo { return (*atomic.Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Load(atomic.x, &atomic..dict.Pointer[os.dirInfo]) }
example.com/patterns/main.go:142:21: inlining call to newQuad
example.com/patterns/main.go:145:21: inlining call to os.Create
example.com/patterns/main.go:152:9: inlining call to os.(*File).Close
sync/atomic/type.go:63:6: inlining call to atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).CompareAndSwap
sync/atomic/type.go:60:6: inlining call to atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Swap
sync/atomic/type.go:57:6: inlining call to atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Store
sync/atomic/type.go:54:6: inlining call to atomic.(*Pointer[go.shape.struct { os.mu sync.Mutex; os.buf *[]uint8; os.nbuf int; os.bufp int }]).Load
example.com/patterns/main.go:36:2: u escapes to heap:
example.com/patterns/main.go:36:2:   flow: ~r0 = &u:
example.com/patterns/main.go:36:2:     from &u (address-of) at example.com/patterns/main.go:37:9
example.com/patterns/main.go:36:2:     from return &u (return) at example.com/patterns/main.go:37:2
example.com/patterns/main.go:36:2: moved to heap: u
example.com/patterns/main.go:42:10: new(user) escapes to heap:
example.com/patterns/main.go:42:10:   flow: p = &{storage for new(user)}:
example.com/patterns/main.go:42:10:     from new(user) (spill) at example.com/patterns/main.go:42:10
example.com/patterns/main.go:42:10:     from p := new(user) (assign) at example.com/patterns/main.go:42:4
example.com/patterns/main.go:42:10:   flow: {heap} = p:
example.com/patterns/main.go:42:10:     from sink = p (assign) at example.com/patterns/main.go:44:7
example.com/patterns/main.go:42:10: new(user) escapes to heap
example.com/patterns/main.go:50:12: v escapes to heap:
example.com/patterns/main.go:50:12:   flow: {heap} = &{storage for v}:
example.com/patterns/main.go:50:12:     from v (spill) at example.com/patterns/main.go:50:12
example.com/patterns/main.go:50:12:     from sinkAny = v (assign) at example.com/patterns/main.go:50:10
example.com/patterns/main.go:50:12: v escapes to heap
example.com/patterns/main.go:55:11: make([]byte, n) escapes to heap:
example.com/patterns/main.go:55:11:   flow: {heap} = &{storage for make([]byte, n)}:
example.com/patterns/main.go:55:11:     from make([]byte, n) (non-constant size) at example.com/patterns/main.go:55:11
example.com/patterns/main.go:55:11: make([]byte, n) escapes to heap
example.com/patterns/main.go:62:11: func literal escapes to heap:
example.com/patterns/main.go:62:11:   flow: {heap} = &{storage for func literal}:
example.com/patterns/main.go:62:11:     from func literal (spill) at example.com/patterns/main.go:62:11
example.com/patterns/main.go:62:11:     from sinkFn = func literal (assign) at example.com/patterns/main.go:62:9
example.com/patterns/main.go:61:2: closure capturing by ref: c (addr=false assign=true width=32)
example.com/patterns/main.go:61:2: c escapes to heap:
example.com/patterns/main.go:61:2:   flow: {storage for func literal} = &c:
example.com/patterns/main.go:61:2:     from c (captured by a closure) at example.com/patterns/main.go:62:24
example.com/patterns/main.go:61:2:     from c (reference) at example.com/patterns/main.go:62:24
example.com/patterns/main.go:61:2: moved to heap: c
example.com/patterns/main.go:62:11: func literal escapes to heap
example.com/patterns/main.go:68:5: func literal escapes to heap:
example.com/patterns/main.go:68:5:   flow: {heap} = &{storage for func literal}:
example.com/patterns/main.go:68:5:     from func literal (spill) at example.com/patterns/main.go:68:5
example.com/patterns/main.go:67:2: goroutine capturing by ref: x (addr=false assign=true width=32)
example.com/patterns/main.go:67:2: x escapes to heap:
example.com/patterns/main.go:67:2:   flow: {storage for func literal} = &x:
example.com/patterns/main.go:67:2:     from x (captured by a closure) at example.com/patterns/main.go:68:14
example.com/patterns/main.go:67:2:     from x (reference) at example.com/patterns/main.go:68:14
example.com/patterns/main.go:66:23: goroutine capturing by value: done (addr=false assign=false width=8)
example.com/patterns/main.go:66:23: parameter done leaks to {storage for func literal} with derefs=0:
example.com/patterns/main.go:66:23:   flow: {storage for func literal} = done:
example.com/patterns/main.go:66:23:     from done (captured by a closure) at example.com/patterns/main.go:68:22
example.com/patterns/main.go:66:23: leaking param: done
example.com/patterns/main.go:67:2: moved to heap: x
example.com/patterns/main.go:68:5: func literal escapes to heap
example.com/patterns/main.go:74:2: u escapes to heap:
example.com/patterns/main.go:74:2:   flow: {heap} = &u:
example.com/patterns/main.go:74:2:     from &u (address-of) at example.com/patterns/main.go:75:16
example.com/patterns/main.go:74:2:     from append(s, &u) (call parameter) at example.com/patterns/main.go:75:12
example.com/patterns/main.go:73:11: make([]*user, 0, 4) escapes to heap:
example.com/patterns/main.go:73:11:   flow: s = &{storage for make([]*user, 0, 4)}:
example.com/patterns/main.go:73:11:     from make([]*user, 0, 4) (spill) at example.com/patterns/main.go:73:11
example.com/patterns/main.go:73:11:     from s := make([]*user, 0, 4) (assign) at example.com/patterns/main.go:73:4
example.com/patterns/main.go:73:11:   flow: {heap} = s:
example.com/patterns/main.go:73:11:     from sinkSlice = s (assign) at example.com/patterns/main.go:76:12
example.com/patterns/main.go:74:2: moved to heap: u
example.com/patterns/main.go:73:11: make([]*user, 0, 4) escapes to heap
example.com/patterns/main.go:81:2: v escapes to heap:
example.com/patterns/main.go:81:2:   flow: {heap} = &v:
example.com/patterns/main.go:81:2:     from &v (address-of) at example.com/patterns/main.go:82:17
example.com/patterns/main.go:81:2:     from sinkMap[n % 4] = &v (assign) at example.com/patterns/main.go:82:15
example.com/patterns/main.go:81:2: moved to heap: v
example.com/patterns/main.go:87:6: buf escapes to heap:
example.com/patterns/main.go:87:6:   flow: {heap} = &buf:
example.com/patterns/main.go:87:6:     from buf (too large for stack) at example.com/patterns/main.go:87:6
example.com/patterns/main.go:87:6: moved to heap: buf
example.com/patterns/main.go:94:11: make([]byte, 131072) escapes to heap:
example.com/patterns/main.go:94:11:   flow: {heap} = &{storage for make([]byte, 131072)}:
example.com/patterns/main.go:94:11:     from make([]byte, 131072) (too large for stack) at example.com/patterns/main.go:94:11
example.com/patterns/main.go:94:11: make([]byte, 131072) escapes to heap
example.com/patterns/main.go:108:11: make([]byte, 32) does not escape
example.com/patterns/main.go:115:29: n escapes to heap:
example.com/patterns/main.go:115:29:   flow: {storage for ... argument} = &{storage for n}:
example.com/patterns/main.go:115:29:     from n (spill) at example.com/patterns/main.go:115:29
example.com/patterns/main.go:115:29:     from ... argument (slice-literal-element) at example.com/patterns/main.go:115:20
example.com/patterns/main.go:115:29:   flow: {heap} = {storage for ... argument}:
example.com/patterns/main.go:115:29:     from ... argument (spill) at example.com/patterns/main.go:115:20
example.com/patterns/main.go:115:29:     from fmt.Sprintf("n=%d", ... argument...) (call parameter) at example.com/patterns/main.go:115:20
example.com/patterns/main.go:115:20: ... argument does not escape
example.com/patterns/main.go:115:29: n escapes to heap
example.com/patterns/main.go:120:16: make(map[int]*user) escapes to heap:
example.com/patterns/main.go:120:16:   flow: {heap} = &{storage for make(map[int]*user)}:
example.com/patterns/main.go:120:16:     from make(map[int]*user) (spill) at example.com/patterns/main.go:120:16
example.com/patterns/main.go:120:16:     from sinkMap = make(map[int]*user) (assign) at example.com/patterns/main.go:120:10
example.com/patterns/main.go:153:35: total escapes to heap:
example.com/patterns/main.go:153:35:   flow: {storage for ... argument} = &{storage for total}:
example.com/patterns/main.go:153:35:     from total (spill) at example.com/patterns/main.go:153:35
example.com/patterns/main.go:153:35:     from ... argument (slice-literal-element) at example.com/patterns/main.go:153:14
example.com/patterns/main.go:153:35:   flow: {heap} = {storage for ... argument}:
example.com/patterns/main.go:153:35:     from ... argument (spill) at example.com/patterns/main.go:153:14
example.com/patterns/main.go:153:35:     from fmt.Fprintln(os.Stderr, ... argument...) (call parameter) at example.com/patterns/main.go:153:14
example.com/patterns/main.go:153:26: "total" escapes to heap:
example.com/patterns/main.go:153:26:   flow: {storage for ... argument} = &{storage for "total"}:
example.com/patterns/main.go:153:26:     from "total" (spill) at example.com/patterns/main.go:153:26
example.com/patterns/main.go:153:26:     from ... argument (slice-literal-element) at example.com/patterns/main.go:153:14
example.com/patterns/main.go:153:26:   flow: {heap} = {storage for ... argument}:
example.com/patterns/main.go:153:26:     from ... argument (spill) at example.com/patterns/main.go:153:14
example.com/patterns/main.go:153:26:     from fmt.Fprintln(os.Stderr, ... argument...) (call parameter) at example.com/patterns/main.go:153:14
example.com/patterns/main.go:142:21: q escapes to heap:
example.com/patterns/main.go:142:21:   flow: ~r0 = &q:
example.com/patterns/main.go:142:21:     from &q (address-of) at example.com/patterns/main.go:142:21
example.com/patterns/main.go:142:21:     from ~r0 = &q (assign-pair) at example.com/patterns/main.go:142:21
example.com/patterns/main.go:142:21:   flow: {heap} = ~r0:
example.com/patterns/main.go:142:21:     from sinkQuad = ~r0 (assign) at example.com/patterns/main.go:142:12
example.com/patterns/main.go:142:21: moved to heap: q
example.com/patterns/main.go:120:16: make(map[int]*user) escapes to heap
example.com/patterns/main.go:153:14: ... argument does not escape
example.com/patterns/main.go:153:26: "total" escapes to heap
example.com/patterns/main.go:153:35: total escapes to heap
example.com/patterns/main.go:162:2: q escapes to heap:
example.com/patterns/main.go:162:2:   flow: ~r0 = &q:
example.com/patterns/main.go:162:2:     from &q (address-of) at example.com/patterns/main.go:163:9
example.com/patterns/main.go:162:2:     from return &q (return) at example.com/patterns/main.go:163:2
example.com/patterns/main.go:162:2: moved to heap: q
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
