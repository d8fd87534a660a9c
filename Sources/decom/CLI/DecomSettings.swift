import DecomCommandLine
import DecomConsole
import DecomCore

/// The config file (`$XDG_CONFIG_HOME/decom/config.yaml`) as the commands use it. A missing
/// file is an empty config; a broken one is a command error that names the file and line.
typealias DecomSettings = ConfigFile

extension ConfigFile {
    static func load(environment: [String: String]) throws -> ConfigFile {
        guard let path = ConfigFile.defaultPath(environment: environment) else {
            return ConfigFile()
        }
        switch ConfigFile.load(path: path) {
        case .success(let config): return config.expandingHome(environment: environment)
        case .failure(let problems): throw CLIError("bad config file:\n" + problems.description)
        }
    }
}
