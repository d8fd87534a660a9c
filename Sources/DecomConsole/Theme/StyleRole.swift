/// Every part of the console a theme styles, named for what it means, not where it is.
/// The raw value is the key a theme file uses under `styles:`.
public enum StyleRole: String, CaseIterable, Sendable, Hashable {
    case header
    case tableHeader = "table_header"
    case row
    case cursorRow = "cursor_row"
    case markedRow = "marked_row"
    case cursorMarkedRow = "cursor_marked_row"
    case archivedRow = "archived_row"
    case compliant
    case nonCompliant = "non_compliant"
    case unknown
    /// client_status groups
    case statusActive = "status_active"
    case statusPipeline = "status_pipeline"
    case statusMaintenance = "status_maintenance"
    case statusRetired = "status_retired"
    case detailsLabel = "details_label"
    case detailsValue = "details_value"
    case detailsSection = "details_section"
    case footerKey = "footer_key"
    case footerText = "footer_text"
    case flashInfo = "flash_info"
    case flashWarning = "flash_warning"
    case flashError = "flash_error"
    case dialog
    case dialogTitle = "dialog_title"
    case dialogButton = "dialog_button"
    case dialogButtonFocused = "dialog_button_focused"
    case dangerDialog = "danger_dialog"
    case dangerDialogTitle = "danger_dialog_title"
    case prompt
    case promptInput = "prompt_input"
    case helpSection = "help_section"
    case helpKey = "help_key"
    case helpText = "help_text"
    case progressBar = "progress_bar"
    case tooSmall = "too_small"
    case border
}
