import Foundation
import Testing

@testable import DecomCore

/// Both servers' words for an address they cannot listen on (the end-to-end tests hold a
/// port and use an address of TEST-NET-1; a name lookup is not made there, since a
/// machine's resolver may take its time to say no).
struct ListenFailureTests {
    @Test func eachReasonNamesTheAddress() {
        #expect(
            ListenFailure.message(host: "127.0.0.1", port: 2222, errno: EADDRINUSE, detail: "x")
                == "127.0.0.1:2222 is in use by another program: choose another --listen")
        #expect(
            ListenFailure.message(host: "::1", port: 80, errno: EACCES, detail: "x")
                == "may not listen on [::1]:80 (ports below 1024 need privileges)")
        #expect(
            ListenFailure.message(host: "192.0.2.1", port: 8080, errno: EADDRNOTAVAIL, detail: "")
                .hasSuffix(
                    "192.0.2.1 is not an address of this machine (127.0.0.1 is this machine only, 0.0.0.0 every interface)"
                ))
        #expect(
            ListenFailure.message(host: "h", port: 1, errno: EMFILE, detail: "x")
                == "cannot listen on h:1: \(String(cString: strerror(EMFILE)))")
        #expect(
            ListenFailure.unknownHost(host: "nowhere.invalid", port: 8080)
                == "cannot listen on nowhere.invalid:8080: nowhere.invalid is not a name this machine can resolve"
        )
    }
}
