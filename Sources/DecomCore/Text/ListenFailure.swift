import Foundation

/// Why a server could not listen on its address, said the same way by `decom serve-ssh` and
/// `decom serve-http`, naming the address and what to do (the system's own words, such as
/// "bind(descriptor:ptr:bytes:): Cannot assign requested address) (errno: 99)", name neither).
public enum ListenFailure {
    /// The message for a failed bind of `host`:`port`; `code` is the system's errno when the
    /// failure was the system's (`bind(2)`), `detail` the error as thrown otherwise.
    public static func message(host: String, port: Int, errno code: Int32?, detail: String)
        -> String
    {
        let address = (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        switch code {
        case EADDRINUSE?:
            return "\(address) is in use by another program: choose another --listen"
        case EACCES?:
            return "may not listen on \(address) (ports below 1024 need privileges)"
        case EADDRNOTAVAIL?:
            return
                "cannot listen on \(address): \(host) is not an address of this machine (127.0.0.1 is this machine only, 0.0.0.0 every interface)"
        case let code?:
            return "cannot listen on \(address): \(String(cString: strerror(code)))"
        case nil:
            return "cannot listen on \(address): \(detail)"
        }
    }

    /// The message when `host` is a name the machine cannot resolve.
    public static func unknownHost(host: String, port: Int) -> String {
        "cannot listen on \(host):\(port): \(host) is not a name this machine can resolve"
    }
}
