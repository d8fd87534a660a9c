/// The hardware description of seed 001's `characteristics`: all 22 keys.
///
/// Every boolean is tri-state: `nil` means unknown, never false. Every key is written on
/// output, `null` included, as the seed's schema requires; on input an absent key reads as
/// `null` (see `Device` for why).
public struct Characteristics: Sendable, Hashable, Codable {
    public var screenSize: String?
    public var graphic: String?
    public var processor: String?
    public var ram: String?
    public var storage: String?
    public var modelYear: String?
    public var connectivity: String?
    public var keyboardLayout: KeyboardLayout?
    public var resolution: String?
    public var hasMicrophone: Bool?
    public var hasWebcam: Bool?
    public var noiseCancellation: Bool?
    public var compliance: [String]?
    public var connectionType: [String]?
    public var hasStool: Bool?
    public var hasVideoPackage: Bool?
    public var hasScreen: Bool?
    public var hasPremiumTablet: Bool?
    public var color: String?
    public var seatsNumber: String?
    public var assembly: String?
    public var osPlatform: String?

    public init(
        screenSize: String? = nil, graphic: String? = nil, processor: String? = nil,
        ram: String? = nil, storage: String? = nil, modelYear: String? = nil,
        connectivity: String? = nil, keyboardLayout: KeyboardLayout? = nil,
        resolution: String? = nil, hasMicrophone: Bool? = nil, hasWebcam: Bool? = nil,
        noiseCancellation: Bool? = nil, compliance: [String]? = nil,
        connectionType: [String]? = nil, hasStool: Bool? = nil, hasVideoPackage: Bool? = nil,
        hasScreen: Bool? = nil, hasPremiumTablet: Bool? = nil, color: String? = nil,
        seatsNumber: String? = nil, assembly: String? = nil, osPlatform: String? = nil
    ) {
        self.screenSize = screenSize
        self.graphic = graphic
        self.processor = processor
        self.ram = ram
        self.storage = storage
        self.modelYear = modelYear
        self.connectivity = connectivity
        self.keyboardLayout = keyboardLayout
        self.resolution = resolution
        self.hasMicrophone = hasMicrophone
        self.hasWebcam = hasWebcam
        self.noiseCancellation = noiseCancellation
        self.compliance = compliance
        self.connectionType = connectionType
        self.hasStool = hasStool
        self.hasVideoPackage = hasVideoPackage
        self.hasScreen = hasScreen
        self.hasPremiumTablet = hasPremiumTablet
        self.color = color
        self.seatsNumber = seatsNumber
        self.assembly = assembly
        self.osPlatform = osPlatform
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case screenSize = "screen_size"
        case graphic, processor, ram, storage
        case modelYear = "model_year"
        case connectivity
        case keyboardLayout = "keyboard_layout"
        case resolution
        case hasMicrophone = "has_microphone"
        case hasWebcam = "has_webcam"
        case noiseCancellation = "noise_cancellation"
        case compliance
        case connectionType = "connection_type"
        case hasStool = "has_stool"
        case hasVideoPackage = "has_video_package"
        case hasScreen = "has_screen"
        case hasPremiumTablet = "has_premium_tablet"
        case color
        case seatsNumber = "seats_number"
        case assembly
        case osPlatform = "os_platform"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        screenSize = try c.decodeIfPresent(String.self, forKey: .screenSize)
        graphic = try c.decodeIfPresent(String.self, forKey: .graphic)
        processor = try c.decodeIfPresent(String.self, forKey: .processor)
        ram = try c.decodeIfPresent(String.self, forKey: .ram)
        storage = try c.decodeIfPresent(String.self, forKey: .storage)
        modelYear = try c.decodeIfPresent(String.self, forKey: .modelYear)
        connectivity = try c.decodeIfPresent(String.self, forKey: .connectivity)
        keyboardLayout = try c.decodeIfPresent(KeyboardLayout.self, forKey: .keyboardLayout)
        resolution = try c.decodeIfPresent(String.self, forKey: .resolution)
        hasMicrophone = try c.decodeIfPresent(Bool.self, forKey: .hasMicrophone)
        hasWebcam = try c.decodeIfPresent(Bool.self, forKey: .hasWebcam)
        noiseCancellation = try c.decodeIfPresent(Bool.self, forKey: .noiseCancellation)
        compliance = try c.decodeIfPresent([String].self, forKey: .compliance)
        connectionType = try c.decodeIfPresent([String].self, forKey: .connectionType)
        hasStool = try c.decodeIfPresent(Bool.self, forKey: .hasStool)
        hasVideoPackage = try c.decodeIfPresent(Bool.self, forKey: .hasVideoPackage)
        hasScreen = try c.decodeIfPresent(Bool.self, forKey: .hasScreen)
        hasPremiumTablet = try c.decodeIfPresent(Bool.self, forKey: .hasPremiumTablet)
        color = try c.decodeIfPresent(String.self, forKey: .color)
        seatsNumber = try c.decodeIfPresent(String.self, forKey: .seatsNumber)
        assembly = try c.decodeIfPresent(String.self, forKey: .assembly)
        osPlatform = try c.decodeIfPresent(String.self, forKey: .osPlatform)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(screenSize, forKey: .screenSize)
        try c.encode(graphic, forKey: .graphic)
        try c.encode(processor, forKey: .processor)
        try c.encode(ram, forKey: .ram)
        try c.encode(storage, forKey: .storage)
        try c.encode(modelYear, forKey: .modelYear)
        try c.encode(connectivity, forKey: .connectivity)
        try c.encode(keyboardLayout, forKey: .keyboardLayout)
        try c.encode(resolution, forKey: .resolution)
        try c.encode(hasMicrophone, forKey: .hasMicrophone)
        try c.encode(hasWebcam, forKey: .hasWebcam)
        try c.encode(noiseCancellation, forKey: .noiseCancellation)
        try c.encode(compliance, forKey: .compliance)
        try c.encode(connectionType, forKey: .connectionType)
        try c.encode(hasStool, forKey: .hasStool)
        try c.encode(hasVideoPackage, forKey: .hasVideoPackage)
        try c.encode(hasScreen, forKey: .hasScreen)
        try c.encode(hasPremiumTablet, forKey: .hasPremiumTablet)
        try c.encode(color, forKey: .color)
        try c.encode(seatsNumber, forKey: .seatsNumber)
        try c.encode(assembly, forKey: .assembly)
        try c.encode(osPlatform, forKey: .osPlatform)
    }
}
