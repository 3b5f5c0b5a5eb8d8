<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>CameraDialog</name>
    <message>
        <source>Read the ID card with the camera</source>
        <translation>Đọc căn cước bằng camera</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Hold the back of the ID card, QR code towards the camera, still, about 15 cm away.</source>
        <translation>Giơ mặt sau thẻ căn cước, mã QR hướng về camera, giữ yên, cách khoảng 15 cm.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>No camera is connected to this computer.</source>
        <translation>Máy tính này không có camera nào được kết nối.</translation>
    </message>
    <message>
        <source>Looking for the QR code...</source>
        <translation>Đang tìm mã QR...</translation>
    </message>
    <message>
        <source>Reading the ID card</source>
        <translation>Đang đọc căn cước</translation>
    </message>
    <message>
        <source>No ID card QR code was seen. Hold the card still and closer, then start again.</source>
        <translation>Không thấy mã QR của căn cước. Hãy giữ thẻ yên và gần hơn, rồi bắt đầu lại.</translation>
    </message>
    <message>
        <source>Read: {name}, {id}</source>
        <translation>Đã đọc: {name}, {id}</translation>
    </message>
</context>
<context>
    <name>CaptureController</name>
    <message>
        <source>Reading codes</source>
        <translation>Đang đọc mã</translation>
    </message>
    <message>
        <source>Looking for scanners</source>
        <translation>Đang tìm máy quét</translation>
    </message>
    <message>
        <source>Scanning</source>
        <translation>Đang quét</translation>
    </message>
    <message>
        <source>Pages to import</source>
        <translation>Chọn trang cần nhập</translation>
    </message>
    <message>
        <source>Scans (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</source>
        <translation>Ảnh quét (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</translation>
    </message>
    <message>
        <source>Importing pages</source>
        <translation>Đang nhập trang</translation>
    </message>
    <message>
        <source>Recognising text</source>
        <translation>Đang nhận dạng chữ</translation>
    </message>
    <message>
        <source>Text recognised. {n} page(s) to check: Ctrl+E</source>
        <translation>Đã nhận dạng chữ. {n} trang cần xem lại: Ctrl+E</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <source>Compare data records</source>
        <translation>So sánh phiếu kết quả khai thác dữ liệu</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Trường dữ liệu</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Thay đổi</translation>
    </message>
    <message>
        <source>added</source>
        <translation>thêm mới</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>bị xóa</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>thay đổi</translation>
    </message>
</context>
<context>
    <name>ComponentDialog</name>
    <message>
        <source>Import pages</source>
        <translation>Nhập trang</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>Drawing</source>
        <translation>Bản vẽ</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Thành phần</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
</context>
<context>
    <name>ComponentModel</name>
    <message>
        <source>Drawing</source>
        <translation>Bản vẽ</translation>
    </message>
    <message>
        <source>Data record</source>
        <translation>Phiếu khai thác dữ liệu</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>({n} to check)</source>
        <translation>({n} cần xem lại)</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Thành phần</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
</context>
<context>
    <name>DeliveryController</name>
    <message>
        <source>Pause sending</source>
        <translation>Tạm dừng gửi</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Đang gửi</translation>
    </message>
    <message>
        <source>Sent: {sent}. Refused: {failed}. Waiting to retry: {waiting}.</source>
        <translation>Đã gửi: {sent}. Bị từ chối: {failed}. Chờ gửi lại: {waiting}.</translation>
    </message>
    <message>
        <source>Resume sending</source>
        <translation>Tiếp tục gửi</translation>
    </message>
    <message>
        <source>Sending paused</source>
        <translation>Đã tạm dừng gửi</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <source>Activity and diagnostics</source>
        <translation>Nhật ký hoạt động và chẩn đoán</translation>
    </message>
    <message>
        <source>Audit trail intact: {n} entries, none changed or deleted.</source>
        <translation>Nhật ký kiểm tra nguyên vẹn: {n} mục, không mục nào bị sửa hay xóa.</translation>
    </message>
    <message>
        <source>The audit trail was changed outside SoHoa:</source>
        <translation>Nhật ký kiểm tra đã bị sửa bên ngoài SoHoa:</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Việc</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Hoạt động</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Nhật ký hệ thống</translation>
    </message>
    <message>
        <source>Copy diagnostic info</source>
        <translation>Sao chép thông tin chẩn đoán</translation>
    </message>
</context>
<context>
    <name>DossierModel</name>
    <message>
        <source>Code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Người nộp</translation>
    </message>
    <message>
        <source>Citizen ID</source>
        <translation>Số định danh</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
</context>
<context>
    <name>DrawingController</name>
    <message>
        <source>Scanning</source>
        <translation>Đang quét</translation>
    </message>
    <message>
        <source>Stitching the drawing</source>
        <translation>Đang ghép bản vẽ</translation>
    </message>
</context>
<context>
    <name>DrawingDialog</name>
    <message>
        <source>Large drawing</source>
        <translation>Bản vẽ khổ lớn</translation>
    </message>
    <message>
        <source>Drawing</source>
        <translation>Bản vẽ</translation>
    </message>
    <message>
        <source>Component name</source>
        <translation>Tên thành phần</translation>
    </message>
    <message>
        <source>Sheet size</source>
        <translation>Khổ bản vẽ</translation>
    </message>
    <message>
        <source>Scanner glass</source>
        <translation>Mặt kính máy quét</translation>
    </message>
    <message>
        <source>The parts are in the order of the plan</source>
        <translation>Các phần đúng theo thứ tự của sơ đồ</translation>
    </message>
    <message>
        <source>Scan next part</source>
        <translation>Quét phần tiếp theo</translation>
    </message>
    <message>
        <source>Add scan files...</source>
        <translation>Thêm tệp ảnh quét...</translation>
    </message>
    <message>
        <source>Remove last</source>
        <translation>Bỏ phần cuối</translation>
    </message>
    <message>
        <source>Stitch</source>
        <translation>Ghép</translation>
    </message>
    <message>
        <source>Scan {n} of {total}: lay the sheet face down with the part from {left} to {right} mm across and {top} to {bottom} mm down (from its top left corner) on the glass, the sheet&apos;s long side along the glass&apos;s {side} side.</source>
        <translation>Lần quét {n}/{total}: úp mặt bản vẽ xuống kính, đặt phần từ {left} đến {right} mm theo chiều ngang và từ {top} đến {bottom} mm theo chiều dọc (tính từ góc trên bên trái) lên mặt kính, cạnh dài của bản vẽ dọc theo cạnh {side} của mặt kính.</translation>
    </message>
    <message>
        <source>long</source>
        <translation>dài</translation>
    </message>
    <message>
        <source>short</source>
        <translation>ngắn</translation>
    </message>
    <message>
        <source>All {total} parts are in. Press Stitch.</source>
        <translation>Đã đủ {total} phần. Bấm Ghép.</translation>
    </message>
    <message>
        <source>Scans of the drawing</source>
        <translation>Ảnh quét của bản vẽ</translation>
    </message>
    <message>
        <source>Scans (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</source>
        <translation>Ảnh quét (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</translation>
    </message>
</context>
<context>
    <name>JobPanel</name>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Đã hủy.</translation>
    </message>
    <message>
        <source>{n} pages so far</source>
        <translation>Đã quét {n} trang</translation>
    </message>
    <message>
        <source>less than a minute left</source>
        <translation>còn chưa đến một phút</translation>
    </message>
    <message>
        <source>about {n} min left</source>
        <translation>còn khoảng {n} phút</translation>
    </message>
    <message>
        <source>done</source>
        <translation>xong</translation>
    </message>
</context>
<context>
    <name>LookupDialog</name>
    <message>
        <source>Look up data</source>
        <translation>Tra cứu dữ liệu</translation>
    </message>
    <message>
        <source>Look up</source>
        <translation>Tra cứu</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Trường dữ liệu</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Khóa</translation>
    </message>
    <message>
        <source>Data service</source>
        <translation>Dịch vụ dữ liệu</translation>
    </message>
    <message>
        <source>Save signed record</source>
        <translation>Lưu phiếu có ký số</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>SoHoa - Dossier digitization</source>
        <translation>SoHoa - Số hóa hồ sơ</translation>
    </message>
    <message>
        <source>Select a dossier</source>
        <translation>Chọn một hồ sơ</translation>
    </message>
    <message>
        <source>Find: code, name or ID (Ctrl+F)</source>
        <translation>Tìm: mã, tên hoặc số định danh (Ctrl+F)</translation>
    </message>
    <message>
        <source>Today&apos;s and not yet sent</source>
        <translation>Hôm nay và chưa gửi</translation>
    </message>
    <message>
        <source>All dossiers</source>
        <translation>Tất cả hồ sơ</translation>
    </message>
    <message>
        <source>Workspace: {path}</source>
        <translation>Thư mục làm việc: {path}</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>New dossier</source>
        <translation>Hồ sơ mới</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Quét</translation>
    </message>
    <message>
        <source>Import pages</source>
        <translation>Nhập trang</translation>
    </message>
    <message>
        <source>Large drawing</source>
        <translation>Bản vẽ khổ lớn</translation>
    </message>
    <message>
        <source>OCR</source>
        <translation>Nhận dạng chữ</translation>
    </message>
    <message>
        <source>Check pages</source>
        <translation>Xem lại trang</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>Ký số</translation>
    </message>
    <message>
        <source>Sign remotely</source>
        <translation>Ký số từ xa</translation>
    </message>
    <message>
        <source>Look up data</source>
        <translation>Tra cứu dữ liệu</translation>
    </message>
    <message>
        <source>Data records</source>
        <translation>Phiếu khai thác dữ liệu</translation>
    </message>
    <message>
        <source>Upload all</source>
        <translation>Gửi tất cả</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Hộp thư đi</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Activity and diagnostics</source>
        <translation>Nhật ký hoạt động và chẩn đoán</translation>
    </message>
    <message>
        <source>Check a signed file</source>
        <translation>Kiểm tra tệp đã ký</translation>
    </message>
    <message>
        <source>Find a dossier</source>
        <translation>Tìm hồ sơ</translation>
    </message>
    <message>
        <source>Next part</source>
        <translation>Thành phần sau</translation>
    </message>
    <message>
        <source>Previous part</source>
        <translation>Thành phần trước</translation>
    </message>
    <message>
        <source>Still missing: {parts}</source>
        <translation>Còn thiếu: {parts}</translation>
    </message>
    <message>
        <source>Every part the procedure asks for is there.</source>
        <translation>Đã đủ các thành phần hồ sơ theo thủ tục.</translation>
    </message>
    <message>
        <source>To check (Ctrl+E)</source>
        <translation>Cần xem lại (Ctrl+E)</translation>
    </message>
    <message>
        <source>blank?</source>
        <translation>trống?</translation>
    </message>
    <message>
        <source>hard to read?</source>
        <translation>khó đọc?</translation>
    </message>
    <message>
        <source>no text read</source>
        <translation>không đọc được chữ</translation>
    </message>
    <message>
        <source>SoHoa</source>
        <translation>SoHoa</translation>
    </message>
    <message>
        <source>Select a dossier first.</source>
        <translation>Hãy chọn một hồ sơ trước.</translation>
    </message>
</context>
<context>
    <name>NewDossierDialog</name>
    <message>
        <source>New dossier</source>
        <translation>Hồ sơ mới</translation>
    </message>
    <message>
        <source>Type or scan the receipt&apos;s code</source>
        <translation>Gõ hoặc quét mã trên giấy biên nhận</translation>
    </message>
    <message>
        <source>Point the QR gun at the ID card&apos;s QR code</source>
        <translation>Đưa súng quét vào mã QR trên thẻ CCCD</translation>
    </message>
    <message>
        <source>Read from a scan of the receipt or card...</source>
        <translation>Đọc từ ảnh quét giấy biên nhận hoặc thẻ...</translation>
    </message>
    <message>
        <source>Read the ID card with the camera...</source>
        <translation>Đọc căn cước bằng camera...</translation>
    </message>
    <message>
        <source>12-digit citizen ID number</source>
        <translation>Số định danh cá nhân 12 chữ số</translation>
    </message>
    <message>
        <source>Dossier code</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <source>ID card QR</source>
        <translation>Mã QR thẻ CCCD</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Người nộp</translation>
    </message>
    <message>
        <source>Citizen ID</source>
        <translation>Số định danh</translation>
    </message>
    <message>
        <source>Scan of the receipt or ID card</source>
        <translation>Ảnh quét giấy biên nhận hoặc thẻ CCCD</translation>
    </message>
    <message>
        <source>Scans (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</source>
        <translation>Ảnh quét (*.png *.jpg *.jpeg *.tif *.tiff *.pdf)</translation>
    </message>
    <message>
        <source>Born {date}, {address}</source>
        <translation>Sinh ngày {date}, {address}</translation>
    </message>
</context>
<context>
    <name>OutboxDialog</name>
    <message>
        <source>Waiting to send</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Đang gửi</translation>
    </message>
    <message>
        <source>Sent, waiting for the portal&apos;s receipt</source>
        <translation>Đã gửi, chờ cổng xác nhận</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Bị từ chối</translation>
    </message>
    <message>
        <source>Replaced by a newer file</source>
        <translation>Đã thay bằng tệp mới hơn</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Hộp thư đi</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Thành phần</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Số lần thử</translation>
    </message>
    <message>
        <source>Next try / reason</source>
        <translation>Lần thử tới / lý do</translation>
    </message>
    <message>
        <source>Put refused files back in the queue</source>
        <translation>Đưa các tệp bị từ chối vào hàng đợi lại</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Gửi ngay</translation>
    </message>
    <message>
        <source>Waiting to try again</source>
        <translation>Chờ thử lại</translation>
    </message>
    <message>
        <source>Waiting: {waiting}. Sent: {sent}. Refused: {refused}.</source>
        <translation>Chờ gửi: {waiting}. Đã gửi: {sent}. Bị từ chối: {refused}.</translation>
    </message>
</context>
<context>
    <name>PagesController</name>
    <message>
        <source>Changing the page</source>
        <translation>Đang sửa trang</translation>
    </message>
    <message>
        <source>Turn left</source>
        <translation>Xoay trái</translation>
    </message>
    <message>
        <source>Turn right</source>
        <translation>Xoay phải</translation>
    </message>
    <message>
        <source>Keep as scanned (no crop, turn or straightening)</source>
        <translation>Giữ nguyên như bản quét (không cắt, xoay hay chỉnh thẳng)</translation>
    </message>
    <message>
        <source>Not blank</source>
        <translation>Không phải trang trống</translation>
    </message>
    <message>
        <source>Delete page</source>
        <translation>Xóa trang</translation>
    </message>
    <message>
        <source>Split here: this page and the next ones into a new part...</source>
        <translation>Tách tại đây: trang này và các trang sau thành thành phần mới...</translation>
    </message>
    <message>
        <source>Scan this page again</source>
        <translation>Quét lại trang này</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>Tách</translation>
    </message>
    <message>
        <source>Name of the new part</source>
        <translation>Tên thành phần mới</translation>
    </message>
    <message>
        <source>Merge into</source>
        <translation>Gộp vào</translation>
    </message>
    <message>
        <source>Scanning</source>
        <translation>Đang quét</translation>
    </message>
</context>
<context>
    <name>RecordsController</name>
    <message>
        <source>Asking the data service...</source>
        <translation>Đang hỏi dịch vụ dữ liệu...</translation>
    </message>
    <message>
        <source>Looking up data</source>
        <translation>Đang tra cứu dữ liệu</translation>
    </message>
    <message>
        <source>Saving the data record</source>
        <translation>Đang lưu phiếu kết quả khai thác dữ liệu</translation>
    </message>
    <message>
        <source>Comparing data records</source>
        <translation>Đang so sánh phiếu</translation>
    </message>
    <message>
        <source>{service}: {subject}, {n} changes</source>
        <translation>{service}: {subject}, {n} thay đổi</translation>
    </message>
</context>
<context>
    <name>RecordsDialog</name>
    <message>
        <source>Data records of the dossier</source>
        <translation>Phiếu kết quả khai thác dữ liệu của hồ sơ</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Data service</source>
        <translation>Dịch vụ dữ liệu</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Select two records of one subject to compare them.</source>
        <translation>Chọn hai phiếu của cùng một đối tượng để so sánh.</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>So sánh</translation>
    </message>
</context>
<context>
    <name>RecoveryController</name>
    <message>
        <source>Resume</source>
        <translation>Tiếp tục</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Để sau</translation>
    </message>
    <message>
        <source>{n} scanned parts are not processed yet</source>
        <translation>{n} thành phần đã quét chưa được xử lý</translation>
    </message>
    <message>
        <source>{n} files stopped on their way to the portal</source>
        <translation>{n} tệp đang gửi lên cổng thì bị dừng</translation>
    </message>
    <message>
        <source>signatures asked on a phone for {codes}</source>
        <translation>chữ ký đang chờ xác nhận trên điện thoại cho {codes}</translation>
    </message>
    <message>
        <source>interrupted: {jobs}</source>
        <translation>bị gián đoạn: {jobs}</translation>
    </message>
    <message>
        <source>SoHoa stopped in the middle of some work: </source>
        <translation>SoHoa đã dừng khi đang làm dở: </translation>
    </message>
    <message>
        <source>Recognising text</source>
        <translation>Đang nhận dạng chữ</translation>
    </message>
    <message>
        <source>Finishing remote signatures</source>
        <translation>Hoàn tất chữ ký số từ xa</translation>
    </message>
</context>
<context>
    <name>RemoteSignDialog</name>
    <message>
        <source>Sign remotely</source>
        <translation>Ký số từ xa</translation>
    </message>
    <message>
        <source>CCCD number or account</source>
        <translation>Số CCCD hoặc tài khoản</translation>
    </message>
    <message>
        <source>Find certificates</source>
        <translation>Tìm chứng thư số</translation>
    </message>
    <message>
        <source>typed by the signer</source>
        <translation>do người ký nhập</translation>
    </message>
    <message>
        <source>Send the code to the signer&apos;s phone</source>
        <translation>Gửi mã tới điện thoại người ký</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Chữ ký</translation>
    </message>
    <message>
        <source>Signing service</source>
        <translation>Dịch vụ ký số</translation>
    </message>
    <message>
        <source>Signer&apos;s ID number</source>
        <translation>Số định danh của người ký</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Chứng thư số</translation>
    </message>
    <message>
        <source>Certificate PIN</source>
        <translation>Mã PIN chứng thư</translation>
    </message>
    <message>
        <source>One-time code</source>
        <translation>Mã xác thực (OTP)</translation>
    </message>
    <message>
        <source>Sign with a token instead</source>
        <translation>Ký bằng USB token</translation>
    </message>
    <message>
        <source>Ask for approval</source>
        <translation>Gửi yêu cầu xác nhận</translation>
    </message>
    <message>
        <source>Cancel the request</source>
        <translation>Hủy yêu cầu</translation>
    </message>
    <message>
        <source>EXPIRED</source>
        <translation>ĐÃ HẾT HẠN</translation>
    </message>
    <message>
        <source>valid until {date}</source>
        <translation>hiệu lực đến {date}</translation>
    </message>
    <message>
        <source>  - {name} ({pages} pages)</source>
        <translation>  - {name} ({pages} trang)</translation>
    </message>
    <message>
        <source>{holder} is asked to sign with {service}:
{docs}

Approve the request on your phone.</source>
        <translation>{holder} được đề nghị ký bằng {service}:
{docs}

Hãy xác nhận yêu cầu trên điện thoại.</translation>
    </message>
    <message>
        <source>Approve on your phone: {m}:{s:02d} left</source>
        <translation>Xác nhận trên điện thoại: còn {m}:{s:02d}</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>Pages to check</source>
        <translation>Trang cần xem lại</translation>
    </message>
    <message>
        <source>Loading the page...</source>
        <translation>Đang mở trang...</translation>
    </message>
    <message>
        <source>The page is fine: keep it</source>
        <translation>Trang ổn: giữ lại</translation>
    </message>
    <message>
        <source>Delete the page</source>
        <translation>Xóa trang</translation>
    </message>
    <message>
        <source>Scan it again</source>
        <translation>Quét lại</translation>
    </message>
    <message>
        <source>Turn left</source>
        <translation>Xoay trái</translation>
    </message>
    <message>
        <source>Turn right</source>
        <translation>Xoay phải</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Để sau</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>No page left to check in this dossier.</source>
        <translation>Hồ sơ này không còn trang nào cần xem lại.</translation>
    </message>
    <message>
        <source>{part}, page {page} ({left} to check)</source>
        <translation>{part}, trang {page} (còn {left} trang cần xem)</translation>
    </message>
    <message>
        <source>Loading the page</source>
        <translation>Đang mở trang</translation>
    </message>
    <message>
        <source>This page looks blank. Delete it if it is; keep it if something is on it.</source>
        <translation>Trang này có vẻ trống. Nếu đúng là trống, hãy xóa; nếu trang có nội dung, hãy giữ lại.</translation>
    </message>
    <message>
        <source>The text on this page was hard to read (confidence {score}%). Check that it is sharp and the right way up; if not, scan it again.</source>
        <translation>Chữ trên trang này khó đọc (độ tin cậy {score}%). Hãy xem trang có rõ nét và đúng chiều không; nếu không, hãy quét lại.</translation>
    </message>
    <message>
        <source>No text could be read on this page. Check it, or scan it again.</source>
        <translation>Không đọc được chữ nào trên trang này. Hãy xem lại trang, hoặc quét lại.</translation>
    </message>
</context>
<context>
    <name>ScanDialog</name>
    <message>
        <source>Scan</source>
        <translation>Quét</translation>
    </message>
    <message>
        <source>Document feeder</source>
        <translation>Khay nạp giấy</translation>
    </message>
    <message>
        <source>Feeder, both sides</source>
        <translation>Khay nạp giấy, hai mặt</translation>
    </message>
    <message>
        <source>Glass (flatbed)</source>
        <translation>Mặt kính</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Màu</translation>
    </message>
    <message>
        <source>Gray</source>
        <translation>Xám</translation>
    </message>
    <message>
        <source>Black and white</source>
        <translation>Đen trắng</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Thành phần</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>Máy quét</translation>
    </message>
    <message>
        <source>Paper from</source>
        <translation>Lấy giấy từ</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Work</source>
        <translation>Công việc</translation>
    </message>
    <message>
        <source>Language (after a restart)</source>
        <translation>Ngôn ngữ (sau khi khởi động lại)</translation>
    </message>
    <message>
        <source>Agency (on certified copies)</source>
        <translation>Cơ quan (trên bản sao chứng thực)</translation>
    </message>
    <message>
        <source>Keep sent files locally (days)</source>
        <translation>Giữ tệp đã gửi trên máy (ngày)</translation>
    </message>
    <message>
        <source>Scanning and OCR</source>
        <translation>Quét và nhận dạng chữ</translation>
    </message>
    <message>
        <source>Resolution (dpi)</source>
        <translation>Độ phân giải (dpi)</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Màu</translation>
    </message>
    <message>
        <source>Paper from</source>
        <translation>Lấy giấy từ</translation>
    </message>
    <message>
        <source>OCR languages</source>
        <translation>Ngôn ngữ nhận dạng</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>Mức nén</translation>
    </message>
    <message>
        <source>Longest OCR time for one page (s)</source>
        <translation>Thời gian nhận dạng tối đa cho một trang (giây)</translation>
    </message>
    <message>
        <source>Signing</source>
        <translation>Ký số</translation>
    </message>
    <message>
        <source>Signature level</source>
        <translation>Mức chữ ký</translation>
    </message>
    <message>
        <source>Time-stamp server (TSA)</source>
        <translation>Máy chủ cấp dấu thời gian (TSA)</translation>
    </message>
    <message>
        <source>Visible stamp</source>
        <translation>Hiện dấu chữ ký</translation>
    </message>
    <message>
        <source>Place of signing</source>
        <translation>Nơi ký</translation>
    </message>
    <message>
        <source>Trust store folders (separated by ;)</source>
        <translation>Thư mục chứng thư tin cậy (cách nhau bởi ;)</translation>
    </message>
    <message>
        <source>Extra token drivers (separated by ;)</source>
        <translation>Trình điều khiển thiết bị ký bổ sung (cách nhau bởi ;)</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Gửi</translation>
    </message>
    <message>
        <source>Portal address (https://)</source>
        <translation>Địa chỉ cổng (https://)</translation>
    </message>
    <message>
        <source>Portal client ID</source>
        <translation>Mã ứng dụng trên cổng</translation>
    </message>
    <message>
        <source>Or deliver into this folder</source>
        <translation>Hoặc chuyển vào thư mục này</translation>
    </message>
    <message>
        <source>Send everything daily at (HH:MM)</source>
        <translation>Gửi tất cả hằng ngày lúc (HH:MM)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Set by the administrator</source>
        <translation>Do quản trị viên đặt</translation>
    </message>
    <message>
        <source>these settings</source>
        <translation>các cài đặt này</translation>
    </message>
</context>
<context>
    <name>SheetDialog</name>
    <message>
        <source>Sheet</source>
        <translation>Bản vẽ</translation>
    </message>
    <message>
        <source>Seams outlined in red could not be checked against the drawing. Scan these parts again with the sheet shifted: {parts}</source>
        <translation>Các đường ghép viền đỏ không kiểm tra được theo nội dung bản vẽ. Hãy quét lại các phần sau, dịch bản vẽ đi: {parts}</translation>
    </message>
    <message>
        <source>At the seams outlined in red the drawing does not line up to a pixel: the paper was probably lifted at a fold ({seams}). Check the sheet there; scan again only with the paper flattened.</source>
        <translation>Tại các đường nối viền đỏ, bản vẽ không khớp đến từng điểm ảnh: giấy có lẽ bị vênh lên ở nếp gấp ({seams}). Hãy kiểm tra bản vẽ ở đó; chỉ quét lại khi đã làm phẳng giấy.</translation>
    </message>
    <message>
        <source>Every seam was checked against the drawing.</source>
        <translation>Mọi đường ghép đều đã được kiểm tra theo nội dung bản vẽ.</translation>
    </message>
    <message>
        <source>Scan part {n} again</source>
        <translation>Quét lại phần {n}</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Sign</source>
        <translation>Ký số</translation>
    </message>
    <message>
        <source>Citizen signs the documents</source>
        <translation>Công dân ký các giấy tờ</translation>
    </message>
    <message>
        <source>Official certifies the electronic copy (SAO Y)</source>
        <translation>Cán bộ chứng thực bản sao điện tử (SAO Y)</translation>
    </message>
    <message>
        <source>Official signs the data records</source>
        <translation>Cán bộ ký phiếu kết quả khai thác dữ liệu</translation>
    </message>
    <message>
        <source>Looking for tokens...</source>
        <translation>Đang tìm thiết bị ký số...</translation>
    </message>
    <message>
        <source>Look again</source>
        <translation>Tìm lại</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Chứng thư số</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Tiếp</translation>
    </message>
    <message>
        <source>valid until {date}</source>
        <translation>hiệu lực đến {date}</translation>
    </message>
    <message>
        <source>EXPIRED</source>
        <translation>ĐÃ HẾT HẠN</translation>
    </message>
    <message>
        <source>TOKEN LOCKED</source>
        <translation>THIẾT BỊ ĐÃ KHÓA</translation>
    </message>
    <message>
        <source>No token with a signing certificate is plugged in.</source>
        <translation>Chưa cắm thiết bị ký số nào có chứng thư ký.</translation>
    </message>
    <message>
        <source>Choose the certificate that signs.</source>
        <translation>Chọn chứng thư số dùng để ký.</translation>
    </message>
    <message>
        <source>{name} ({pages} pages)</source>
        <translation>{name} ({pages} trang)</translation>
    </message>
    <message>
        <source>{holder} ({ids}) signs, for {agency}, these records of what a data service answered, as the official who asked for the data:
{docs}

Each record gets a signature and a timestamp for the long run; any later change to a record will show.</source>
        <translation>{holder} ({ids}) ký, thay mặt {agency}, các phiếu ghi nhận dữ liệu do dịch vụ dữ liệu trả về, với tư cách cán bộ đã khai thác dữ liệu:
{docs}

Mỗi phiếu được ký số và gắn dấu thời gian để lưu trữ lâu dài; mọi thay đổi sau này trên phiếu đều sẽ bị phát hiện.</translation>
    </message>
    <message>
        <source>{holder} ({ids}) certifies, for {agency}, that these electronic copies match the originals presented (SAO Y):
{docs}

Each file gets the certification at the top of its first page and a digital signature; any later change to a file will show.</source>
        <translation>{holder} ({ids}) thay mặt {agency} chứng thực các bản sao điện tử sau đúng với bản chính đã xuất trình (SAO Y):
{docs}

Mỗi tệp được đóng dấu chứng thực ở đầu trang thứ nhất và ký số; mọi thay đổi sau này trên tệp đều bị phát hiện.</translation>
    </message>
    <message>
        <source>You, {holder} ({ids}), are about to sign these documents digitally:
{docs}

Your digital signature has the same legal value as your handwritten signature: it says that you submit these documents. A signed file cannot be changed afterwards without the change showing.</source>
        <translation>Ông/Bà {holder} ({ids}) sắp ký số các tài liệu sau:
{docs}

Chữ ký số có giá trị pháp lý như chữ ký tay: xác nhận Ông/Bà nộp các tài liệu này. Tệp đã ký không thể bị sửa đổi mà không bị phát hiện.</translation>
    </message>
    <message>
        <source>Last try: one more wrong PIN locks this token.</source>
        <translation>Lần thử cuối: nhập sai mã PIN thêm một lần nữa thiết bị sẽ bị khóa.</translation>
    </message>
    <message>
        <source>A wrong PIN was entered before: few tries are left.</source>
        <translation>Trước đó đã nhập sai mã PIN: chỉ còn ít lần thử.</translation>
    </message>
    <message>
        <source>Enter the PIN on the token&apos;s own keypad when it asks.</source>
        <translation>Nhập mã PIN trên bàn phím của thiết bị khi được yêu cầu.</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Chữ ký</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
</context>
<context>
    <name>SigningController</name>
    <message>
        <source>Nothing to sign yet: process the dossier&apos;s components first.</source>
        <translation>Chưa có gì để ký: hãy xử lý các thành phần của hồ sơ trước.</translation>
    </message>
    <message>
        <source>Looking for tokens</source>
        <translation>Đang tìm thiết bị ký số</translation>
    </message>
    <message>
        <source>Signing</source>
        <translation>Đang ký số</translation>
    </message>
    <message>
        <source>Looking for the signer&apos;s certificates...</source>
        <translation>Đang tìm chứng thư số của người ký...</translation>
    </message>
    <message>
        <source>Looking for certificates</source>
        <translation>Tìm chứng thư số</translation>
    </message>
    <message>
        <source>A one-time code was sent to the signer&apos;s phone: type it here.</source>
        <translation>Mã xác thực đã được gửi tới điện thoại người ký: nhập mã vào đây.</translation>
    </message>
    <message>
        <source>Sending the one-time code</source>
        <translation>Đang gửi mã xác thực</translation>
    </message>
    <message>
        <source>Signing remotely</source>
        <translation>Đang ký số từ xa</translation>
    </message>
    <message>
        <source>Check a signed file</source>
        <translation>Kiểm tra tệp đã ký</translation>
    </message>
    <message>
        <source>Checking signatures</source>
        <translation>Đang kiểm tra chữ ký</translation>
    </message>
</context>
<context>
    <name>SupportController</name>
    <message>
        <source>Settings saved.</source>
        <translation>Đã lưu cài đặt.</translation>
    </message>
    <message>
        <source>Diagnostic info copied: paste it into your message to support.</source>
        <translation>Đã sao chép thông tin chẩn đoán: dán vào thư gửi bộ phận hỗ trợ.</translation>
    </message>
    <message>
        <source>Collecting diagnostic info</source>
        <translation>Đang thu thập thông tin chẩn đoán</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <source>Signature check</source>
        <translation>Kiểm tra chữ ký</translation>
    </message>
    <message>
        <source>{name}: the file has no signature.</source>
        <translation>{name}: tệp không có chữ ký nào.</translation>
    </message>
    <message>
        <source>{name}: every signature is valid.</source>
        <translation>{name}: mọi chữ ký đều hợp lệ.</translation>
    </message>
    <message>
        <source>{name}: NOT VALID. See the problems below.</source>
        <translation>{name}: KHÔNG HỢP LỆ. Xem các vấn đề bên dưới.</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Kết luận</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>Người ký</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>Số định danh</translation>
    </message>
    <message>
        <source>Signing time</source>
        <translation>Thời điểm ký</translation>
    </message>
    <message>
        <source>Timestamp</source>
        <translation>Dấu thời gian</translation>
    </message>
    <message>
        <source>Trusted chain</source>
        <translation>Chuỗi tin cậy</translation>
    </message>
    <message>
        <source>Revocation</source>
        <translation>Thu hồi</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Vấn đề</translation>
    </message>
    <message>
        <source>Document timestamp: {tsa}</source>
        <translation>Dấu thời gian tài liệu: {tsa}</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Hợp lệ</translation>
    </message>
    <message>
        <source>NOT VALID</source>
        <translation>KHÔNG HỢP LỆ</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <source>no</source>
        <translation>không</translation>
    </message>
</context>
<context>
    <name>catalog</name>
    <message>
        <source>The procedure catalog {path} cannot be read: {detail}</source>
        <translation>Không đọc được danh mục thủ tục {path}: {detail}</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>interrupted</source>
        <translation>đã dừng theo yêu cầu</translation>
    </message>
    <message>
        <source>Cannot read or write{where}: {reason}</source>
        <translation>Không đọc hoặc ghi được{where}: {reason}</translation>
    </message>
    <message>
        <source>Unexpected error ({kind}); details are in {log}</source>
        <translation>Lỗi không lường trước ({kind}); chi tiết có trong {log}</translation>
    </message>
    <message>
        <source>{detail}</source>
        <translation>{detail}</translation>
    </message>
    <message>
        <source>A PIN is needed: pass --pin-stdin or --pin-env VAR (never the PIN itself on the command line).</source>
        <translation>Cần mã PIN: dùng --pin-stdin hoặc --pin-env BIẾN (không bao giờ ghi mã PIN trên dòng lệnh).</translation>
    </message>
    <message>
        <source>Environment variable {var} is empty or not set.</source>
        <translation>Biến môi trường {var} trống hoặc chưa được đặt.</translation>
    </message>
    <message>
        <source>Enter the PIN on the token&apos;s own keypad.</source>
        <translation>Hãy nhập mã PIN trên bàn phím của chính token.</translation>
    </message>
    <message>
        <source>Warning: only one try is left before the token locks itself.</source>
        <translation>Cảnh báo: chỉ còn một lần thử trước khi token tự khóa.</translation>
    </message>
    <message>
        <source>Token PIN: </source>
        <translation>Mã PIN của token: </translation>
    </message>
    <message>
        <source>No scanner found. Check that it is switched on and connected (USB or network).</source>
        <translation>Không tìm thấy máy quét. Hãy kiểm tra máy đã bật và đã kết nối (USB hoặc mạng).</translation>
    </message>
    <message>
        <source>Scanned {path}</source>
        <translation>Đã quét {path}</translation>
    </message>
    <message>
        <source>BLANK?</source>
        <translation>TRẮNG?</translation>
    </message>
    <message>
        <source>colour</source>
        <translation>có màu</translation>
    </message>
    <message>
        <source>No ID card QR code was seen in {seconds} s.</source>
        <translation>Không thấy mã QR của căn cước trong {seconds} giây.</translation>
    </message>
    <message>
        <source>Give image files, or --camera.</source>
        <translation>Hãy đưa các tệp ảnh, hoặc --camera.</translation>
    </message>
    <message>
        <source>ID {id} - {name} - born {dob} - {sex} - {address} - issued {issued}</source>
        <translation>Số định danh {id} - {name} - sinh ngày {dob} - {sex} - {address} - cấp ngày {issued}</translation>
    </message>
    <message>
        <source>Wrote {output}: {pages} pages, {size} KB</source>
        <translation>Đã ghi {output}: {pages} trang, {size} KB</translation>
    </message>
    <message>
        <source>--grid is ROWSxCOLS, e.g. 2x3.</source>
        <translation>--grid có dạng HÀNGxCỘT, ví dụ 2x3.</translation>
    </message>
    <message>
        <source>The sheet is written as .pdf, .png or .tif.</source>
        <translation>Bản vẽ ghép được ghi thành tệp .pdf, .png hoặc .tif.</translation>
    </message>
    <message>
        <source>Sheet written to {path} ({verdict})</source>
        <translation>Đã ghi bản vẽ ghép vào {path} ({verdict})</translation>
    </message>
    <message>
        <source>Scan these tiles again with the sheet shifted: {tiles}</source>
        <translation>Hãy quét lại các mảnh sau, dịch tờ giấy đi một chút: {tiles}</translation>
    </message>
    <message>
        <source>The scans are below 200 dpi: a digitized copy needs at least 200 dpi. Scan again at 300 dpi.</source>
        <translation>Ảnh quét dưới 200 dpi: bản sao số hóa cần ít nhất 200 dpi. Hãy quét lại ở 300 dpi.</translation>
    </message>
    <message>
        <source>A size is A0..A4 or WIDTHxHEIGHT in millimetres, e.g. 900x600.</source>
        <translation>Khổ giấy là A0..A4 hoặc RỘNGxCAO tính bằng milimét, ví dụ 900x600.</translation>
    </message>
    <message>
        <source>{count} scans in {rows} rows of {cols}; the sheet&apos;s long side along the glass&apos;s {side} side.</source>
        <translation>{count} lần quét, {rows} hàng, mỗi hàng {cols} lần; cạnh dài của bản vẽ đặt dọc theo cạnh {side} của mặt kính.</translation>
    </message>
    <message>
        <source>long</source>
        <translation>dài</translation>
    </message>
    <message>
        <source>short</source>
        <translation>ngắn</translation>
    </message>
    <message>
        <source>Scan {n}: from {left:.0f} to {right:.0f} mm across, {top:.0f} to {bottom:.0f} mm down (from the top left corner)</source>
        <translation>Lần quét {n}: theo chiều ngang từ {left:.0f} đến {right:.0f} mm, theo chiều dọc từ {top:.0f} đến {bottom:.0f} mm (tính từ góc trên bên trái)</translation>
    </message>
    <message>
        <source>Then: sohoa stitch the scans in this order --grid {grid} -o SHEET.pdf</source>
        <translation>Sau đó: sohoa stitch các bản quét theo đúng thứ tự này --grid {grid} -o BANVE.pdf</translation>
    </message>
    <message>
        <source>No token driver found. Pass --module or install your CA&apos;s driver.</source>
        <translation>Không tìm thấy trình điều khiển token. Dùng --module hoặc cài trình điều khiển của nhà cung cấp chữ ký số.</translation>
    </message>
    <message>
        <source>(no token plugged in)</source>
        <translation>(chưa cắm token)</translation>
    </message>
    <message>
        <source>PIN pad</source>
        <translation>có bàn phím PIN</translation>
    </message>
    <message>
        <source>few PIN tries left</source>
        <translation>còn ít lần nhập PIN</translation>
    </message>
    <message>
        <source>one PIN try left</source>
        <translation>chỉ còn một lần nhập PIN</translation>
    </message>
    <message>
        <source>PIN LOCKED</source>
        <translation>PIN ĐÃ BỊ KHÓA</translation>
    </message>
    <message>
        <source>--remote needs --user-id (the signer&apos;s CCCD number or account).</source>
        <translation>--remote cần --user-id (số CCCD hoặc tài khoản của người ký).</translation>
    </message>
    <message>
        <source>No certificate {id} for this signer.</source>
        <translation>Người ký không có chứng thư số {id}.</translation>
    </message>
    <message>
        <source>The signer has several certificates: pass --credential ({list}).</source>
        <translation>Người ký có nhiều chứng thư số: chọn bằng --credential ({list}).</translation>
    </message>
    <message>
        <source>PIN of the signer&apos;s certificate: </source>
        <translation>Mã PIN chứng thư của người ký: </translation>
    </message>
    <message>
        <source>A one-time code was sent to the signer.</source>
        <translation>Đã gửi mã xác thực tới người ký.</translation>
    </message>
    <message>
        <source>One-time code: </source>
        <translation>Mã xác thực (OTP): </translation>
    </message>
    <message>
        <source>Waiting for approval on the signer&apos;s phone ({m}:{s:02d} left)</source>
        <translation>Đang chờ người ký xác nhận trên điện thoại (còn {m}:{s:02d})</translation>
    </message>
    <message>
        <source>EXPIRED</source>
        <translation>HẾT HẠN</translation>
    </message>
    <message>
        <source>--query takes KEY=VALUE, not {item}</source>
        <translation>--query nhận KHÓA=GIÁ_TRỊ, không phải {item}</translation>
    </message>
    <message>
        <source>The record was kept in dossier {code}, not signed: sign it with `sohoa dossier sign {code} --role record`.</source>
        <translation>Phiếu đã được giữ trong hồ sơ {code} nhưng chưa ký: ký bằng lệnh `sohoa dossier sign {code} --role record`.</translation>
    </message>
    <message>
        <source>Data record {name} signed and queued in dossier {code}</source>
        <translation>Đã ký và xếp hàng gửi {name} trong hồ sơ {code}</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>còn hiệu lực</translation>
    </message>
    <message>
        <source>matches</source>
        <translation>khớp với</translation>
    </message>
    <message>
        <source>DOES NOT MATCH</source>
        <translation>KHÔNG KHỚP với</translation>
    </message>
    <message>
        <source>Signature: {state}</source>
        <translation>Chữ ký: {state}</translation>
    </message>
    <message>
        <source>Embedded answer {name}: SHA-256 {sha}, {state} the hash on the page</source>
        <translation>Dữ liệu gốc đính kèm {name}: SHA-256 {sha}, {state} mã băm in trên phiếu</translation>
    </message>
    <message>
        <source>{service} {subject}: {old} -&gt; {new}, {n} changes</source>
        <translation>{service} {subject}: {old} -&gt; {new}, {n} thay đổi</translation>
    </message>
    <message>
        <source>API key: </source>
        <translation>Khóa API: </translation>
    </message>
    <message>
        <source>API key kept in the system keyring</source>
        <translation>Đã lưu khóa API vào kho khóa của hệ thống</translation>
    </message>
    <message>
        <source>Service secret: </source>
        <translation>Mật khẩu dịch vụ: </translation>
    </message>
    <message>
        <source>The secret for {account} at {provider} is in the system keyring.</source>
        <translation>Mật khẩu của {account} tại {provider} đã được lưu trong kho khóa của hệ thống.</translation>
    </message>
    <message>
        <source>No token driver found: pass --module.</source>
        <translation>Không tìm thấy trình điều khiển token: dùng --module.</translation>
    </message>
    <message>
        <source>Tokens are plugged in through several drivers ({drivers}): pass --module.</source>
        <translation>Có token cắm qua nhiều trình điều khiển ({drivers}): hãy chỉ rõ bằng --module.</translation>
    </message>
    <message>
        <source>Several inputs need --out-dir, not -o.</source>
        <translation>Nhiều tệp đầu vào cần --out-dir, không dùng -o.</translation>
    </message>
    <message>
        <source>{name} does not exist.</source>
        <translation>{name} không tồn tại.</translation>
    </message>
    <message>
        <source>Signed {output} ({signer})</source>
        <translation>Đã ký {output} ({signer})</translation>
    </message>
    <message>
        <source>good</source>
        <translation>tốt (chưa bị thu hồi)</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>đã bị thu hồi</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>không xác định</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>chưa kiểm tra</translation>
    </message>
    <message>
        <source>{name}: no signature</source>
        <translation>{name}: không có chữ ký</translation>
    </message>
    <message>
        <source>VALID</source>
        <translation>HỢP LỆ</translation>
    </message>
    <message>
        <source>NOT VALID</source>
        <translation>KHÔNG HỢP LỆ</translation>
    </message>
    <message>
        <source>timestamp</source>
        <translation>dấu thời gian</translation>
    </message>
    <message>
        <source>signing time: {time}</source>
        <translation>thời điểm ký: {time}</translation>
    </message>
    <message>
        <source>timestamp: {time}</source>
        <translation>dấu thời gian: {time}</translation>
    </message>
    <message>
        <source>revocation: {state}</source>
        <translation>tình trạng thu hồi: {state}</translation>
    </message>
    <message>
        <source>Give the dossier code.</source>
        <translation>Hãy nhập mã hồ sơ.</translation>
    </message>
    <message>
        <source>Created dossier {code}</source>
        <translation>Đã tạo hồ sơ {code}</translation>
    </message>
    <message>
        <source>Added {n} pages to {k} components</source>
        <translation>Đã thêm {n} trang vào {k} thành phần hồ sơ</translation>
    </message>
    <message>
        <source>Added {n} pages to {component}</source>
        <translation>Đã thêm {n} trang vào {component}</translation>
    </message>
    <message>
        <source>Processed {n} components</source>
        <translation>Đã xử lý {n} thành phần</translation>
    </message>
    <message>
        <source>Signed and queued {n} components</source>
        <translation>Đã ký và đưa {n} thành phần vào hàng chờ gửi</translation>
    </message>
    <message>
        <source>Dossier {code} has no component waiting for this step ({step}).</source>
        <translation>Hồ sơ {code} không có thành phần nào đang chờ bước này ({step}).</translation>
    </message>
    <message>
        <source>Queued as item {id}</source>
        <translation>Đã đưa vào hàng chờ, mục {id}</translation>
    </message>
    <message>
        <source>Already queued as item {id}</source>
        <translation>Đã có trong hàng chờ, mục {id}</translation>
    </message>
    <message>
        <source>Local copies of {n} delivered items deleted</source>
        <translation>Đã xóa bản lưu trên máy của {n} tệp đã gửi</translation>
    </message>
    <message>
        <source>{n} items queued again</source>
        <translation>Đã đưa lại {n} mục vào hàng chờ</translation>
    </message>
    <message>
        <source>Delivered {n} files to {target}</source>
        <translation>Đã chuyển {n} tệp tới {target}</translation>
    </message>
    <message>
        <source>Failed (needs attention): #{id} {message}</source>
        <translation>Thất bại (cần xử lý): #{id} {message}</translation>
    </message>
    <message>
        <source>Still queued, will retry: #{id} {message}</source>
        <translation>Vẫn trong hàng đợi, sẽ gửi lại: #{id} {message}</translation>
    </message>
    <message>
        <source>{m} min {s} s left</source>
        <translation>còn {m} phút {s} giây</translation>
    </message>
    <message>
        <source>Client secret: </source>
        <translation>Khóa bí mật của ứng dụng: </translation>
    </message>
    <message>
        <source>Give the secret with --secret-stdin or at the prompt.</source>
        <translation>Hãy nhập khóa bí mật qua --secret-stdin hoặc tại dấu nhắc.</translation>
    </message>
    <message>
        <source>The client secret is empty.</source>
        <translation>Khóa bí mật đang để trống.</translation>
    </message>
    <message>
        <source>Secret of {client} stored in the system keyring. Set portal_client_id to {client}.</source>
        <translation>Đã lưu khóa bí mật của {client} vào kho khóa của hệ thống. Hãy đặt portal_client_id là {client}.</translation>
    </message>
    <message>
        <source>Audit trail intact: {n} entries.</source>
        <translation>Nhật ký kiểm tra nguyên vẹn: {n} mục.</translation>
    </message>
    <message>
        <source>The audit trail was tampered with:</source>
        <translation>Nhật ký kiểm tra đã bị sửa hoặc xóa:</translation>
    </message>
</context>
<context>
    <name>config</name>
    <message>
        <source>Settings file {path}: {detail}</source>
        <translation>Tệp cấu hình {path}: {detail}</translation>
    </message>
</context>
<context>
    <name>credentials</name>
    <message>
        <source>No portal credentials on this workstation. Run `sohoa portal set-credentials --client-id ID` (the secret goes to the system keyring) or set SOHOA_PORTAL_CLIENT_ID and SOHOA_PORTAL_CLIENT_SECRET.</source>
        <translation>Máy trạm này chưa có thông tin đăng nhập cổng dịch vụ công. Hãy chạy `sohoa portal set-credentials --client-id ID` (khóa bí mật được lưu trong kho khóa của hệ thống) hoặc đặt SOHOA_PORTAL_CLIENT_ID và SOHOA_PORTAL_CLIENT_SECRET.</translation>
    </message>
    <message>
        <source>The system keyring cannot be used ({detail}). Use {env} for this run.</source>
        <translation>Không dùng được kho khóa của hệ thống ({detail}). Hãy dùng {env} cho lần chạy này.</translation>
    </message>
    <message>
        <source>Remote signing is not set up: {detail}</source>
        <translation>Chưa cài đặt ký số từ xa: {detail}</translation>
    </message>
    <message>
        <source>Unknown remote signing provider {provider}. Known: {known}.</source>
        <translation>Không biết nhà cung cấp ký số từ xa {provider}. Các nhà cung cấp đã biết: {known}.</translation>
    </message>
    <message>
        <source>No address for the remote signing service {provider}: set remote_url in the settings or pass --service-url.</source>
        <translation>Chưa có địa chỉ dịch vụ ký số từ xa {provider}: đặt remote_url trong cài đặt hoặc dùng --service-url.</translation>
    </message>
    <message>
        <source>No service account for {provider} on this workstation. Run `sohoa remote set-credentials --provider {provider} --account ID` (the secret goes to the system keyring) or set SOHOA_REMOTE_ACCOUNT and SOHOA_REMOTE_SECRET.</source>
        <translation>Máy này chưa có tài khoản dịch vụ của {provider}. Chạy `sohoa remote set-credentials --provider {provider} --account ID` (mật khẩu được lưu vào kho khóa của hệ thống) hoặc đặt SOHOA_REMOTE_ACCOUNT và SOHOA_REMOTE_SECRET.</translation>
    </message>
    <message>
        <source>Data services are not set up: {detail}</source>
        <translation>Chưa thiết lập dịch vụ dữ liệu: {detail}</translation>
    </message>
    <message>
        <source>Unknown data service {service}. Known: {known}.</source>
        <translation>Không có dịch vụ dữ liệu {service}. Các dịch vụ có: {known}.</translation>
    </message>
    <message>
        <source>No address for the data service {service}: the administrator sets it in data_services.json, or pass --data-url.</source>
        <translation>Chưa có địa chỉ của dịch vụ dữ liệu {service}: quản trị viên khai báo trong data_services.json, hoặc dùng --data-url.</translation>
    </message>
    <message>
        <source>The data service {service} is asked with {fields}; missing: {missing}.</source>
        <translation>Dịch vụ dữ liệu {service} cần {fields}; còn thiếu: {missing}.</translation>
    </message>
</context>
<context>
    <name>doctor</name>
    <message>
        <source>Tesseract {version}: languages {langs}</source>
        <translation>Tesseract {version}: ngôn ngữ {langs}</translation>
    </message>
    <message>
        <source>Tesseract: PROBLEM: {detail}</source>
        <translation>Tesseract: CÓ LỖI: {detail}</translation>
    </message>
    <message>
        <source>Token drivers (PKCS#11): {n} found</source>
        <translation>Trình điều khiển token (PKCS#11): tìm thấy {n}</translation>
    </message>
    <message>
        <source>Scanners (SANE): {n} found</source>
        <translation>Máy quét (SANE): tìm thấy {n}</translation>
    </message>
    <message>
        <source>Scanners (SANE): not installed</source>
        <translation>Máy quét (SANE): chưa cài đặt</translation>
    </message>
    <message>
        <source>Workspace: {path}</source>
        <translation>Thư mục làm việc: {path}</translation>
    </message>
    <message>
        <source>(NOT WRITABLE)</source>
        <translation>(KHÔNG GHI ĐƯỢC)</translation>
    </message>
    <message>
        <source>Everything needed is in place.</source>
        <translation>Đã có đủ mọi thứ cần thiết.</translation>
    </message>
    <message>
        <source>Something essential is missing (see above).</source>
        <translation>Thiếu thành phần thiết yếu (xem ở trên).</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Something went wrong: {detail}</source>
        <translation>Đã xảy ra lỗi: {detail}</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Đã hủy.</translation>
    </message>
</context>
<context>
    <name>gui</name>
    <message>
        <source>No display found, so the window cannot open. SoHoa also works without a window:
  sohoa doctor                     check the installation
  sohoa dossier new CODE           create a dossier
  sohoa dossier add CODE FILES --component NAME
  sohoa dossier process CODE       OCR
  sohoa dossier sign CODE --module LIB --pin-stdin
  sohoa upload                     deliver the outbox
Run &apos;sohoa --help&apos; for every command, or start a display (e.g. xvfb-run sohoa).</source>
        <translation>Không tìm thấy màn hình nên không mở được cửa sổ. SoHoa vẫn dùng được không cần cửa sổ:
  sohoa doctor                     kiểm tra cài đặt
  sohoa dossier new MÃ             tạo hồ sơ
  sohoa dossier add MÃ TỆP --component TÊN
  sohoa dossier process MÃ         nhận dạng chữ (OCR)
  sohoa dossier sign MÃ --module THƯ_VIỆN --pin-stdin
  sohoa upload                     gửi hàng chờ
Chạy &apos;sohoa --help&apos; để xem mọi lệnh, hoặc mở màn hình (ví dụ xvfb-run sohoa).</translation>
    </message>
</context>
<context>
    <name>ocr</name>
    <message>
        <source>Text recognition failed: {detail}</source>
        <translation>Nhận dạng chữ thất bại: {detail}</translation>
    </message>
    <message>
        <source>Tesseract OCR is not installed or not found ({detail}). Install it, e.g. &apos;apt install tesseract-ocr&apos;.</source>
        <translation>Chưa cài hoặc không tìm thấy Tesseract OCR ({detail}). Hãy cài đặt, ví dụ &apos;apt install tesseract-ocr&apos;.</translation>
    </message>
    <message>
        <source>Tesseract has no data for language(s) {missing}. Install them, e.g. &apos;apt install tesseract-ocr-vie&apos;.</source>
        <translation>Tesseract chưa có dữ liệu ngôn ngữ {missing}. Hãy cài đặt, ví dụ &apos;apt install tesseract-ocr-vie&apos;.</translation>
    </message>
    <message>
        <source>Page {page} could not be processed: {detail}</source>
        <translation>Không xử lý được trang {page}: {detail}</translation>
    </message>
    <message>
        <source>There are no pages to process.</source>
        <translation>Không có trang nào để xử lý.</translation>
    </message>
</context>
<context>
    <name>pipeline</name>
    <message>
        <source>{detail}</source>
        <translation>{detail}</translation>
    </message>
    <message>
        <source>Component {name} has no pages yet: scan or import them first.</source>
        <translation>Thành phần {name} chưa có trang nào: hãy quét hoặc nhập trang trước.</translation>
    </message>
    <message>
        <source>Component {name} has not been processed (OCR) yet.</source>
        <translation>Thành phần {name} chưa được nhận dạng chữ (OCR).</translation>
    </message>
    <message>
        <source>{name} was not queued: its signature check failed ({problems}).</source>
        <translation>{name} chưa được đưa vào hàng chờ: kiểm tra chữ ký không đạt ({problems}).</translation>
    </message>
    <message>
        <source>{name} is already signed or sent: its pages cannot be changed any more.</source>
        <translation>{name} đã được ký hoặc đã gửi: không thể sửa các trang nữa.</translation>
    </message>
</context>
<context>
    <name>records</name>
    <message>
        <source>The two records are not about the same subject ({first}: {a}; {second}: {b}).</source>
        <translation>Hai phiếu không cùng một đối tượng ({first}: {a}; {second}: {b}).</translation>
    </message>
    <message>
        <source>Data record error: {detail}</source>
        <translation>Lỗi phiếu kết quả khai thác dữ liệu: {detail}</translation>
    </message>
    <message>
        <source>The data service {service} cannot be reached ({detail}). No record was made; try again when the network is back.</source>
        <translation>Không kết nối được dịch vụ dữ liệu {service} ({detail}). Chưa tạo phiếu nào; hãy thử lại khi có mạng.</translation>
    </message>
    <message>
        <source>The data service {service} did not answer within {seconds} seconds. No record was made.</source>
        <translation>Dịch vụ dữ liệu {service} không trả lời trong {seconds} giây. Chưa tạo phiếu nào.</translation>
    </message>
    <message>
        <source>The data service {service} refused the request (HTTP {status}): {detail}. No record was made.</source>
        <translation>Dịch vụ dữ liệu {service} từ chối yêu cầu (HTTP {status}): {detail}. Chưa tạo phiếu nào.</translation>
    </message>
    <message>
        <source>The data service address {url} is not https. Only a service on this computer may be reached without encryption.</source>
        <translation>Địa chỉ dịch vụ dữ liệu {url} không dùng https. Chỉ dịch vụ trên chính máy này mới được kết nối không mã hóa.</translation>
    </message>
    <message>
        <source>The answer of {service} is larger than {limit} KB, more than a data record may hold. No record was made.</source>
        <translation>Dữ liệu trả về của {service} lớn hơn {limit} KB, vượt quá mức một phiếu được chứa. Chưa tạo phiếu nào.</translation>
    </message>
    <message>
        <source>The answer of {service} is not UTF-8 text. No record was made.</source>
        <translation>Dữ liệu trả về của {service} không phải văn bản UTF-8. Chưa tạo phiếu nào.</translation>
    </message>
    <message>
        <source>The data service {service} sent a web page instead of data (an error page or a login page). No record was made.</source>
        <translation>Dịch vụ dữ liệu {service} trả về một trang web thay vì dữ liệu (trang báo lỗi hoặc trang đăng nhập). Chưa tạo phiếu nào.</translation>
    </message>
    <message>
        <source>The answer of {service} is not well-formed {kind} ({detail}). No record was made.</source>
        <translation>Dữ liệu trả về của {service} không phải {kind} hợp lệ ({detail}). Chưa tạo phiếu nào.</translation>
    </message>
    <message>
        <source>{name} is not a SoHoa data record (no embedded answer: {detail}).</source>
        <translation>{name} không phải phiếu kết quả khai thác dữ liệu của SoHoa (không có dữ liệu gốc đính kèm: {detail}).</translation>
    </message>
</context>
<context>
    <name>scanner</name>
    <message>
        <source>Capture failed: {detail}</source>
        <translation>Quét/nhập trang thất bại: {detail}</translation>
    </message>
    <message>
        <source>Cannot read {name}: the file is damaged or not an image or PDF ({detail}).</source>
        <translation>Không đọc được {name}: tệp bị hỏng hoặc không phải ảnh hay PDF ({detail}).</translation>
    </message>
    <message>
        <source>{name} is empty (0 bytes): scan or copy it again.</source>
        <translation>{name} rỗng (0 byte): hãy quét hoặc sao chép lại.</translation>
    </message>
    <message>
        <source>{name} is too large ({pixels} megapixels, the limit is {limit}): scan it at a lower resolution.</source>
        <translation>{name} quá lớn ({pixels} megapixel, giới hạn là {limit}): hãy quét ở độ phân giải thấp hơn.</translation>
    </message>
    <message>
        <source>{name} is protected by a password: ask for an unprotected copy or print and scan it.</source>
        <translation>{name} được bảo vệ bằng mật khẩu: hãy xin bản không có mật khẩu hoặc in ra rồi quét.</translation>
    </message>
    <message>
        <source>{name} is not a supported file (PNG, JPEG, TIFF or PDF are accepted).</source>
        <translation>{name} không phải tệp được hỗ trợ (chấp nhận PNG, JPEG, TIFF hoặc PDF).</translation>
    </message>
    <message>
        <source>SANE&apos;s scanimage is not installed (apt install sane-utils): scanners cannot be used.</source>
        <translation>Chưa cài scanimage của SANE (apt install sane-utils): chưa dùng được máy quét.</translation>
    </message>
    <message>
        <source>The scanner {name} is not connected or switched off. Check its cable or network and try again.</source>
        <translation>Máy quét {name} chưa kết nối hoặc đang tắt. Hãy kiểm tra cáp hoặc mạng rồi thử lại.</translation>
    </message>
    <message>
        <source>The scanner {name} stopped: {detail}. Pages already scanned are kept.</source>
        <translation>Máy quét {name} đã dừng: {detail}. Các trang đã quét vẫn được giữ.</translation>
    </message>
    <message>
        <source>SoHoa has no scanner backend called {name}.</source>
        <translation>SoHoa không có trình điều khiển máy quét nào tên {name}.</translation>
    </message>
    <message>
        <source>The tiles cannot be put together: {detail}</source>
        <translation>Không ghép được các mảnh: {detail}</translation>
    </message>
    <message>
        <source>The image {name} cannot be read: {detail}</source>
        <translation>Không đọc được ảnh {name}: {detail}</translation>
    </message>
    <message>
        <source>Camera {source} could not be opened: check that it is plugged in and not used by another program.</source>
        <translation>Không mở được camera {source}: hãy kiểm tra camera đã được cắm và không bị chương trình khác sử dụng.</translation>
    </message>
    <message>
        <source>Camera {source} stopped sending pictures: plug it in again and retry.</source>
        <translation>Camera {source} ngừng gửi hình: hãy cắm lại rồi thử lại.</translation>
    </message>
</context>
<context>
    <name>signing</name>
    <message>
        <source>Signing failed: {detail}</source>
        <translation>Ký số thất bại: {detail}</translation>
    </message>
    <message>
        <source>The token driver {module} cannot be loaded ({detail}). Install the driver from your CA.</source>
        <translation>Không nạp được trình điều khiển token {module} ({detail}). Hãy cài trình điều khiển của nhà cung cấp chữ ký số.</translation>
    </message>
    <message>
        <source>No token {label} is plugged in. Insert the USB token and try again.</source>
        <translation>Chưa cắm token {label}. Hãy cắm USB token rồi thử lại.</translation>
    </message>
    <message>
        <source>Several tokens are plugged in ({labels}): choose one, or unplug the others.</source>
        <translation>Đang cắm nhiều token ({labels}): hãy chọn một token, hoặc rút các token khác ra.</translation>
    </message>
    <message>
        <source>The PIN is wrong. The token locks itself after too many wrong PINs: check it before trying again.</source>
        <translation>Mã PIN sai. Token sẽ tự khóa nếu nhập sai quá nhiều lần: hãy kiểm tra kỹ trước khi thử lại.</translation>
    </message>
    <message>
        <source>The PIN is wrong and few tries are left before the token locks itself.</source>
        <translation>Mã PIN sai và chỉ còn ít lần thử trước khi token tự khóa.</translation>
    </message>
    <message>
        <source>The PIN is wrong. Only one try is left: a further wrong PIN locks the token.</source>
        <translation>Mã PIN sai. Chỉ còn một lần thử: nhập sai thêm một lần nữa token sẽ bị khóa.</translation>
    </message>
    <message>
        <source>Enter the token&apos;s PIN (only a token with its own keypad needs none).</source>
        <translation>Hãy nhập mã PIN của token (chỉ token có bàn phím riêng mới không cần).</translation>
    </message>
    <message>
        <source>The token&apos;s PIN is locked after too many wrong tries. Ask your CA to unlock it.</source>
        <translation>Mã PIN của token đã bị khóa do nhập sai quá nhiều lần. Hãy liên hệ nhà cung cấp chữ ký số để mở khóa.</translation>
    </message>
    <message>
        <source>The token was removed or stopped answering ({detail}). Files already signed stay signed; insert it and sign the rest again.</source>
        <translation>Token đã bị rút ra hoặc không phản hồi ({detail}). Các tệp đã ký vẫn giữ nguyên chữ ký; hãy cắm lại token và ký các tệp còn lại.</translation>
    </message>
    <message>
        <source>No certificate {label} with a private key was found on the token.</source>
        <translation>Không tìm thấy chứng thư số {label} có khóa bí mật trên token.</translation>
    </message>
    <message>
        <source>The certificate of {holder} is not valid now (valid {not_before} to {not_after}).</source>
        <translation>Chứng thư số của {holder} hiện không có hiệu lực (hiệu lực từ {not_before} đến {not_after}).</translation>
    </message>
    <message>
        <source>{name} cannot be signed: it is not a readable PDF ({detail}).</source>
        <translation>Không ký được {name}: tệp không phải PDF đọc được ({detail}).</translation>
    </message>
    <message>
        <source>{name}: the signature check failed: {detail}</source>
        <translation>{name}: kiểm tra chữ ký không đạt: {detail}</translation>
    </message>
    <message>
        <source>The certificate of {holder} has been revoked by its CA: it can no longer sign.</source>
        <translation>Chứng thư số của {holder} đã bị tổ chức cấp (CA) thu hồi: không thể dùng để ký nữa.</translation>
    </message>
    <message>
        <source>The certificate of {holder} does not chain to a trusted root. Ask the administrator to add the CA&apos;s root certificate to the trust folder.</source>
        <translation>Chứng thư số của {holder} không dẫn tới chứng thư gốc tin cậy nào. Đề nghị quản trị viên thêm chứng thư gốc của CA vào thư mục tin cậy.</translation>
    </message>
    <message>
        <source>The revocation status of {holder}&apos;s certificate could not be fetched ({detail}). Check the network, or sign at level B-B or B-T and add revocation data later.</source>
        <translation>Không lấy được tình trạng thu hồi chứng thư số của {holder} ({detail}). Hãy kiểm tra mạng, hoặc ký ở mức B-B hay B-T rồi bổ sung dữ liệu thu hồi sau.</translation>
    </message>
    <message>
        <source>The timestamp server {url} did not answer ({detail}). Nothing was signed; check the network and try again.</source>
        <translation>Máy chủ dấu thời gian {url} không trả lời ({detail}). Chưa tệp nào được ký; hãy kiểm tra mạng và thử lại.</translation>
    </message>
    <message>
        <source>{name} cannot be checked: it is not a readable PDF ({detail}).</source>
        <translation>Không kiểm tra được {name}: đây không phải tệp PDF đọc được ({detail}).</translation>
    </message>
    <message>
        <source>The remote signing service failed: {detail}</source>
        <translation>Dịch vụ ký số từ xa bị lỗi: {detail}</translation>
    </message>
    <message>
        <source>The remote signing service {service} cannot be reached ({detail}). Nothing was signed; check the network and try again, or sign with a token.</source>
        <translation>Không kết nối được dịch vụ ký số từ xa {service} ({detail}). Chưa có gì được ký; kiểm tra mạng rồi thử lại, hoặc ký bằng USB token.</translation>
    </message>
    <message>
        <source>The remote signing service {service} gave an answer SoHoa cannot use ({detail}). Nothing was signed.</source>
        <translation>Dịch vụ ký số từ xa {service} trả lời không dùng được ({detail}). Chưa có gì được ký.</translation>
    </message>
    <message>
        <source>The remote signing service {service} refused the request: {detail}</source>
        <translation>Dịch vụ ký số từ xa {service} từ chối yêu cầu: {detail}</translation>
    </message>
    <message>
        <source>The signing service address {url} is not https. Only a service on this computer may be reached without encryption.</source>
        <translation>Địa chỉ dịch vụ ký số {url} không dùng https. Chỉ dịch vụ chạy trên chính máy này mới được kết nối không mã hóa.</translation>
    </message>
    <message>
        <source>The signing service {service} has no valid signing certificate for {user_id}. Check the number, or sign with a token.</source>
        <translation>Dịch vụ ký số {service} không có chứng thư số hợp lệ nào cho {user_id}. Kiểm tra lại số, hoặc ký bằng USB token.</translation>
    </message>
    <message>
        <source>The signing service {service} needs the PIN of the signer&apos;s certificate. Enter it and ask again.</source>
        <translation>Dịch vụ ký số {service} cần mã PIN chứng thư của người ký. Hãy nhập mã PIN rồi gửi yêu cầu lại.</translation>
    </message>
    <message>
        <source>The signing service {service} did not accept the PIN. Nothing was signed; the service may lock the certificate after too many wrong PINs.</source>
        <translation>Dịch vụ ký số {service} không chấp nhận mã PIN. Chưa có tệp nào được ký; dịch vụ có thể khóa chứng thư nếu nhập sai PIN quá nhiều lần.</translation>
    </message>
    <message>
        <source>The signing service {service} needs the one-time code sent to the signer. Enter it and ask again.</source>
        <translation>Dịch vụ ký số {service} cần mã xác thực đã gửi tới người ký. Hãy nhập mã rồi gửi yêu cầu lại.</translation>
    </message>
    <message>
        <source>The signing service {service} did not accept the one-time code. Nothing was signed; ask for a new code and try again.</source>
        <translation>Dịch vụ ký số {service} không chấp nhận mã xác thực. Chưa có tệp nào được ký; hãy yêu cầu mã mới rồi thử lại.</translation>
    </message>
    <message>
        <source>The signer refused the request on their phone. Nothing was signed; ask again, or sign with a token.</source>
        <translation>Người ký đã từ chối yêu cầu trên điện thoại. Chưa có gì được ký; gửi lại yêu cầu, hoặc ký bằng USB token.</translation>
    </message>
    <message>
        <source>The request was not approved in time and has expired. Nothing was signed; ask again when the signer has their phone at hand.</source>
        <translation>Yêu cầu không được xác nhận kịp và đã hết hạn. Chưa có gì được ký; gửi lại khi người ký có điện thoại bên cạnh.</translation>
    </message>
    <message>
        <source>The remote signing request was cancelled at the counter. Nothing was signed.</source>
        <translation>Yêu cầu ký số từ xa đã được hủy tại quầy. Chưa có gì được ký.</translation>
    </message>
    <message>
        <source>The signing service returned a signature that does not match {name} and the certificate of {holder}. It was not used: no file was written.</source>
        <translation>Dịch vụ ký số trả về chữ ký không khớp với {name} và chứng thư số của {holder}. Chữ ký này không được dùng: không có tệp nào được ghi.</translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <source>Open</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <source>No pages yet</source>
        <translation>Chưa có trang</translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation>Đã quét</translation>
    </message>
    <message>
        <source>OCR done</source>
        <translation>Đã nhận dạng chữ</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>Đã ký</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Chờ gửi</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <source>Sent; local copy deleted</source>
        <translation>Đã gửi; đã xóa bản trên máy</translation>
    </message>
</context>
<context>
    <name>upload</name>
    <message>
        <source>Upload failed: {detail}</source>
        <translation>Gửi thất bại: {detail}</translation>
    </message>
    <message>
        <source>The file {name} to queue does not exist or cannot be read.</source>
        <translation>Tệp {name} cần đưa vào hàng chờ không tồn tại hoặc không đọc được.</translation>
    </message>
    <message>
        <source>The destination {target} cannot be written ({detail}). Nothing was lost; try again later.</source>
        <translation>Không ghi được vào nơi nhận {target} ({detail}). Không mất dữ liệu nào; hãy thử lại sau.</translation>
    </message>
    <message>
        <source>The portal refused {name}: {message}</source>
        <translation>Cổng dịch vụ công từ chối {name}: {message}</translation>
    </message>
    <message>
        <source>The portal cannot be reached ({detail}). The files stay queued and go up on the next try.</source>
        <translation>Không kết nối được cổng dịch vụ công ({detail}). Các tệp vẫn nằm trong hàng đợi và sẽ được gửi ở lần thử sau.</translation>
    </message>
    <message>
        <source>The portal&apos;s certificate is not trusted ({detail}). If the portal uses its own CA, ask the administrator to set portal_ca_bundle. Nothing was sent.</source>
        <translation>Chứng thư TLS của cổng dịch vụ công không được tin cậy ({detail}). Nếu cổng dùng CA riêng, đề nghị quản trị viên đặt portal_ca_bundle. Chưa tệp nào được gửi.</translation>
    </message>
    <message>
        <source>The portal address {url} does not use https: citizens&apos; files and the portal&apos;s password would cross the network unprotected. Use the portal&apos;s https:// address. Nothing was sent.</source>
        <translation>Địa chỉ cổng {url} không dùng https: hồ sơ của người dân và mật khẩu của cổng sẽ đi qua mạng mà không được bảo vệ. Hãy dùng địa chỉ https:// của cổng. Chưa gửi gì.</translation>
    </message>
    <message>
        <source>The portal refused this workstation&apos;s credentials ({detail}). Ask the administrator to check the client ID and secret. Nothing was sent.</source>
        <translation>Cổng dịch vụ công từ chối thông tin đăng nhập của máy trạm này ({detail}). Đề nghị quản trị viên kiểm tra mã ứng dụng và khóa bí mật. Chưa tệp nào được gửi.</translation>
    </message>
    <message>
        <source>{name} is {size_mb} MB; the portal accepts at most {limit_mb} MB per file.</source>
        <translation>{name} nặng {size_mb} MB; cổng dịch vụ công chỉ nhận tối đa {limit_mb} MB mỗi tệp.</translation>
    </message>
</context>
<context>
    <name>verify</name>
    <message>
        <source>the signed content was changed</source>
        <translation>nội dung đã ký bị thay đổi</translation>
    </message>
    <message>
        <source>the cryptographic signature is invalid</source>
        <translation>chữ ký số không đúng về mật mã</translation>
    </message>
    <message>
        <source>the signer&apos;s certificate does not chain to a trusted root</source>
        <translation>chứng thư số của người ký không dẫn tới chứng thư gốc tin cậy</translation>
    </message>
    <message>
        <source>the signer&apos;s certificate was revoked on {date} ({reason})</source>
        <translation>chứng thư số của người ký đã bị thu hồi ngày {date} ({reason})</translation>
    </message>
    <message>
        <source>the signer&apos;s certificate was not valid at the signing time</source>
        <translation>chứng thư số của người ký không còn hiệu lực vào thời điểm ký</translation>
    </message>
    <message>
        <source>the revocation status could not be established</source>
        <translation>không xác định được tình trạng thu hồi</translation>
    </message>
    <message>
        <source>the timestamp is not valid or not from a trusted authority</source>
        <translation>dấu thời gian không hợp lệ hoặc không do tổ chức tin cậy cấp</translation>
    </message>
    <message>
        <source>later changes not allowed: {level}</source>
        <translation>có thay đổi sau khi ký không được phép: {level}</translation>
    </message>
    <message>
        <source>cannot validate: {detail}</source>
        <translation>không kiểm tra được: {detail}</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>không nêu lý do</translation>
    </message>
    <message>
        <source>key compromised</source>
        <translation>lộ khóa bí mật</translation>
    </message>
    <message>
        <source>CA compromised</source>
        <translation>CA bị xâm phạm</translation>
    </message>
    <message>
        <source>affiliation changed</source>
        <translation>thay đổi đơn vị công tác</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>đã được thay thế</translation>
    </message>
    <message>
        <source>no longer used</source>
        <translation>ngừng sử dụng</translation>
    </message>
    <message>
        <source>suspended</source>
        <translation>tạm dừng</translation>
    </message>
    <message>
        <source>privilege withdrawn</source>
        <translation>bị rút quyền</translation>
    </message>
    <message>
        <source>not revoked</source>
        <translation>chưa bị thu hồi</translation>
    </message>
    <message>
        <source>REVOKED</source>
        <translation>ĐÃ BỊ THU HỒI</translation>
    </message>
    <message>
        <source>could not be established</source>
        <translation>không xác định được</translation>
    </message>
    <message>
        <source>not checked (no data in the file)</source>
        <translation>chưa kiểm tra (tệp không chứa dữ liệu thu hồi)</translation>
    </message>
</context>
<context>
    <name>workspace</name>
    <message>
        <source>Workspace error: {detail}</source>
        <translation>Lỗi thư mục làm việc: {detail}</translation>
    </message>
    <message>
        <source>There is no dossier with code {code}.</source>
        <translation>Không có hồ sơ nào có mã {code}.</translation>
    </message>
    <message>
        <source>A dossier with code {code} already exists.</source>
        <translation>Đã có hồ sơ với mã {code}.</translation>
    </message>
    <message>
        <source>Dossier {code} has no component named {name}.</source>
        <translation>Hồ sơ {code} không có thành phần tên {name}.</translation>
    </message>
    <message>
        <source>This workspace was written by a newer SoHoa (schema {found} &gt; {known}): update SoHoa.</source>
        <translation>Thư mục làm việc này do phiên bản SoHoa mới hơn tạo ra (lược đồ {found} &gt; {known}): hãy cập nhật SoHoa.</translation>
    </message>
</context>
</TS>
