; SoHoa per-machine installer (Inno Setup 6). Build on Windows after PyInstaller, from the repo root:
;   iscc /DAppVersion=0.1.0 installer\windows\sohoa.iss
; Input: dist\app\sohoa\ (installer\sohoa.spec). Output: dist\sohoa-VERSION-setup.exe.
;
; Unattended install for IT staff, with the office's settings file and extra token-driver folders:
;   sohoa-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /CONFIG="\\server\sohoa\settings.json" ^
;       /TRUST="\\server\sohoa\trust" /TOKENDIRS="D:\Drivers\CA1;D:\Drivers\CA2"

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z installer\windows\sohoa.iss
#endif

[Setup]
AppId={{5B0E3C1A-7A2F-4C64-9B1E-50A0A1C3D2F7}
AppName=SoHoa
AppVersion={#AppVersion}
AppVerName=SoHoa {#AppVersion}
AppPublisher=SoHoa
DefaultDirName={autopf}\SoHoa
DefaultGroupName=SoHoa
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=sohoa-{#AppVersion}-setup
SetupIconFile=..\..\app\resources\icons\sohoa.ico
UninstallDisplayIcon={app}\SoHoa.exe
UninstallDisplayName=SoHoa {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Inno Setup's Vietnamese messages are an unofficial translation: put Vietnamese.isl (from
; jrsoftware.org/files/istrans/) beside this script to have the wizard in Vietnamese.
#if FileExists(AddBackslash(SourcePath) + "Vietnamese.isl")
Name: "vietnamese"; MessagesFile: "Vietnamese.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "addtopath"; Description: "Add the sohoa command to PATH (for scripts and IT staff)"; Flags: unchecked

[Files]
; the application folder: sohoa.exe (command line), SoHoa.exe (window), _internal\ (Python, Qt,
; OpenCV, Tesseract with vie, eng and osd, resources)
Source: "..\..\dist\app\sohoa\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\linux\settings.json.example"; DestDir: "{commonappdata}\SoHoa"; Flags: ignoreversion
; the office's settings (portal, TSA, locked values), given with /CONFIG=; an existing one is kept
; unless /CONFIG is given again
Source: "{param:CONFIG}"; DestDir: "{commonappdata}\SoHoa"; DestName: "settings.json"; \
  Flags: external ignoreversion; Check: HasParam('CONFIG')
; trusted roots of the office (PEM or DER files), given with /TRUST=folder
Source: "{param:TRUST}\*"; DestDir: "{commonappdata}\SoHoa\trust"; \
  Flags: external ignoreversion recursesubdirs skipifsourcedoesntexist; Check: HasParam('TRUST')

[Dirs]
Name: "{commonappdata}\SoHoa\trust"

[Icons]
Name: "{group}\SoHoa"; Filename: "{app}\SoHoa.exe"; WorkingDir: "{userdocs}"
Name: "{group}\SoHoa - kiểm tra cài đặt (doctor)"; Filename: "{cmd}"; \
  Parameters: "/k ""{app}\sohoa.exe"" doctor"; WorkingDir: "{userdocs}"
Name: "{group}\{cm:UninstallProgram,SoHoa}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\SoHoa"; Filename: "{app}\SoHoa.exe"; Tasks: desktopicon

[Registry]
Root: HKLM; Subkey: "SOFTWARE\SoHoa"; Flags: uninsdeletekey
Root: HKLM; Subkey: "SOFTWARE\SoHoa"; ValueType: string; ValueName: "InstallDir"; ValueData: "{app}"
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; \
  ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; \
  Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\SoHoa.exe"; Description: "{cm:LaunchProgram,SoHoa}"; Flags: nowait postinstall skipifsilent

[Code]
// Token drivers of Vietnamese CAs and token makers install into these folders. The ones present
// now, and those given with /TOKENDIRS=dir1;dir2, are registered for SoHoa's driver discovery
// (HKLM\SOFTWARE\SoHoa, Pkcs11Folders); the app also looks in System32 and its own list
// (app\resources\pkcs11_modules.json).
const
  KnownFolders = '{commonpf64}\VNPT-CA|{commonpf32}\VNPT-CA|{commonpf32}\Viettel-CA|{commonpf64}\Viettel-CA|' +
                 '{commonpf32}\BkavCA|{commonpf64}\BkavCA|{commonpf32}\FPT-CA|{commonpf64}\FPT-CA|' +
                 '{commonpf64}\SafeNet\Authentication\SAC\x64|{commonpf32}\EnterSafe\ePass2003|' +
                 '{commonpf64}\OpenSC Project\OpenSC\pkcs11|{commonpf64}\SoftHSM2\lib';

function HasParam(Name: String): Boolean;
begin
  Result := ExpandConstant('{param:' + Name + '|}') <> '';
end;

function NeedsAddPath(Dir: String): Boolean;
var
  Path: String;
begin
  if not RegQueryStringValue(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Path) then
    Result := True
  else
    Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

procedure AddFolders(List: String; var Found: String);
var
  Part: String;
  P: Integer;
begin
  while List <> '' do
  begin
    P := Pos('|', List);
    if P = 0 then begin Part := List; List := ''; end
    else begin Part := Copy(List, 1, P - 1); List := Copy(List, P + 1, Length(List)); end;
    Part := Trim(ExpandConstant(Part));
    if (Part <> '') and DirExists(Part) and (Pos(#0 + Part + #0, #0 + Found) = 0) then
      Found := Found + Part + #0;
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  Found, Given: String;
begin
  if CurStep = ssPostInstall then
  begin
    Found := '';
    Given := ExpandConstant('{param:TOKENDIRS|}');
    StringChangeEx(Given, ';', '|', True);
    AddFolders(Given, Found);
    AddFolders(KnownFolders, Found);
    RegWriteMultiStringValue(HKLM, 'SOFTWARE\SoHoa', 'Pkcs11Folders', Found);
  end;
end;
