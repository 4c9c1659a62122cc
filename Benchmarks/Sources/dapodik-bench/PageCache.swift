import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Makes a store's files cold before a "cold open": the page cache is dropped when the kernel lets us
/// (`/proc/sys/vm/drop_caches`, root outside a container), and every file of the store is evicted with
/// `posix_fadvise(POSIX_FADV_DONTNEED)` either way (it drops clean cached pages of that file without
/// privileges). `mincore` then says how much of the store is still cached, so the report can say how
/// cold the open really was.
enum PageCache {
    struct Eviction {
        /// What happened to the attempt to drop the whole page cache.
        var dropCaches: String
        /// Share of the store's pages still in the page cache after the eviction, in percent.
        var residentPercentAfter: Double
    }

    static func evict(directory: String) -> Eviction {
        sync()
        var dropCaches = "not on Linux"
        #if os(Linux)
            let descriptor = open("/proc/sys/vm/drop_caches", O_WRONLY)
            if descriptor >= 0 {
                let written = write(descriptor, "3\n", 2)
                dropCaches = written == 2 ? "dropped" : "write failed: \(String(cString: strerror(errno)))"
                close(descriptor)
            } else {
                dropCaches = "refused: \(String(cString: strerror(errno)))"
            }
        #endif
        for path in files(in: directory) {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            #if os(Linux)
                _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_DONTNEED))
            #endif
            close(descriptor)
        }
        return Eviction(dropCaches: dropCaches, residentPercentAfter: residentPercent(directory: directory))
    }

    /// Share of the pages of the files under `directory` that are in the page cache, in percent.
    static func residentPercent(directory: String) -> Double {
        var resident = 0
        var total = 0
        for path in files(in: directory) {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            let (cached, pages) = residency(descriptor)
            close(descriptor)
            resident += cached
            total += pages
        }
        return total == 0 ? 0 : 100 * Double(resident) / Double(total)
    }

    private static func files(in directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var paths: [String] = []
        while let name = enumerator.nextObject() as? String {
            var status = stat()
            let path = directory + "/" + name
            if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG { paths.append(path) }
        }
        return paths
    }

    /// (pages in the page cache, pages of the file), from `mincore` over a read-only mapping.
    private static func residency(_ descriptor: Int32) -> (Int, Int) {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0 else { return (0, 0) }
        let length = Int(status.st_size)
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pages = (length + pageSize - 1) / pageSize
        guard let mapping = mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0), mapping != MAP_FAILED else {
            return (0, pages)
        }
        defer { munmap(mapping, length) }
        var vector = [UInt8](repeating: 0, count: pages)
        guard mincore(mapping, length, &vector) == 0 else { return (0, pages) }
        return (vector.reduce(0) { $0 + Int($1 & 1) }, pages)
    }
}
